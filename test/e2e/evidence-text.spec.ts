/**
 * Issue 11 #6 in Chromium: evidence text cannot pass for something else. A story case whose calls name
 * `\u202Emoc.buhtig` (drawn by a plain renderer as "github.com") and `gіthub.com` (Cyrillic і), a step name with a
 * zero-width space and a log line with a bidi override, served by its own `runlens serve`.
 */
import { expect, test, type Page } from '@playwright/test';
import Database from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { makeStoryCase } from './support/story-case';
import { openApp, shot, watchPage } from './support/app';
import { startServeProcess, type ServeProcess } from './support/serve-process';

const RLO_DOMAIN = '\u202Emoc.buhtig';
const HOMOGLYPH = 'g\u0456thub.com';

let dir: string;
let serve: ServeProcess;
let ids: { rlo: number; homoglyph: number };

test.beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'runlens-spoof-'));
  const file = path.join(dir, 'spoof.runlens');
  makeStoryCase(file);
  const db = new Database(file);
  const calls = db.prepare("SELECT id FROM network WHERE domain = 'github.com' ORDER BY id").all() as { id: number }[];
  ids = { rlo: calls[0]!.id, homoglyph: calls[1]!.id };
  db.prepare('UPDATE network SET domain = ? WHERE id = ?').run(RLO_DOMAIN, ids.rlo);
  db.prepare('UPDATE network SET domain = ? WHERE id = ?').run(HOMOGLYPH, ids.homoglyph);
  db.prepare("UPDATE steps SET name = 'Run npm\u200B ci' WHERE name = 'Run npm ci'").run();
  db.prepare("UPDATE log_lines SET raw = ? || raw, text = ? || text WHERE id = (SELECT min(id) FROM log_lines WHERE step_id IS NOT NULL)").run('\u202E', '\u202E');
  db.close();
  serve = await startServeProcess(file, { RUNLENS_DATA_DIR: dir });
});
test.afterAll(async () => {
  await serve?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

const table = (page: Page) => page.getByRole('region', { name: 'Network calls' });
const row = (page: Page, id: number) => table(page).locator(`[role="row"][data-call-id="${id}"]`);

test('a right-to-left override in a domain is shown, not obeyed: the row never reads github.com', async ({ page }) => {
  const w = watchPage(page);
  await openApp(page, serve.url);
  const cell = row(page, ids.rlo).locator('[role="gridcell"]').nth(2);
  await expect(cell).toBeVisible();
  const shown = await cell.innerText();
  expect(shown).toContain('⟨RLO⟩');
  expect(shown).toContain('moc.buhtig');
  expect(shown.replace(/\s+/g, '')).not.toContain('github.com');
  // What is painted: the mark is a separate isolate, and no bidi control reaches the DOM text of the cell.
  expect(await cell.evaluate((e) => /[\u202a-\u202e\u2066-\u2069]/.test(e.textContent ?? ''))).toBe(false);
  // The letters are laid out left to right as stored: "m" is left of "g".
  const order = await cell.evaluate((e) => {
    const walk = document.createTreeWalker(e, NodeFilter.SHOW_TEXT);
    let t: Text | null = null;
    for (let n = walk.nextNode(); n && !t; n = walk.nextNode()) if (/moc/.test(n.textContent ?? '')) t = n as Text;
    if (!t) throw new Error('no text node with the domain');
    const tn = t;
    const at = (i: number) => {
      const r = document.createRange();
      r.setStart(tn, i);
      r.setEnd(tn, i + 1);
      return r.getBoundingClientRect().left;
    };
    const s = tn.textContent!;
    return { m: at(s.indexOf('m')), g: at(s.indexOf('g')) };
  });
  expect(order.m).toBeLessThan(order.g);
  await expect(cell.locator('.ev-host-badge')).toBeVisible();
  await shot(page, 'spoof-01-network');
  w.check();
});

test('a homoglyph host carries a warning and its punycode; Details shows it too', async ({ page }) => {
  const w = watchPage(page);
  await openApp(page, serve.url);
  const cell = row(page, ids.homoglyph).locator('[role="gridcell"]').nth(2);
  await expect(cell.locator('.ev-host-badge')).toContainText('not github.com');
  await expect(cell.locator('.ev-punycode')).toHaveText(/^xn--/);
  await row(page, ids.homoglyph).click();
  const details = page.getByRole('region', { name: 'Details' });
  await expect(details.locator('.d-title .ev-host-badge')).toContainText('not github.com');
  await shot(page, 'spoof-02-details');
  w.check();
});

test('a zero-width space in a step name and a bidi override in a log line are visible marks', async ({ page }) => {
  const w = watchPage(page);
  await openApp(page, serve.url);
  const log = page.getByRole('region', { name: 'Build log' });
  await expect(log.locator('.step-name', { hasText: '⟨ZWSP⟩' })).toBeVisible();
  await expect(log.locator('.ev-mark', { hasText: '⟨RLO⟩' }).first()).toBeVisible();
  w.check();
});
