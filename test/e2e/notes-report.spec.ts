/**
 * Notes and the report in Chromium: a note made in the app (served case) survives a restart of the server and
 * appears in `runlens report`; the HTML report opens offline with no request leaving the page and no script from
 * the case running, even when the case's own text is hostile markup.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect, test, type Page } from '@playwright/test';
import { openApp, SHOTS, settled, watchPage } from './support/app';
import { E2E_DIST, ROOT, startServeProcess } from './support/serve-process';

const CLI = () => path.join(E2E_DIST, 'electron', 'cli.cjs');
const runlens = (args: string[], env: NodeJS.ProcessEnv = {}) =>
  execFileSync(process.execPath, [CLI(), ...args], { cwd: ROOT, env: { ...process.env, ...env }, encoding: 'utf8' });

function caseIn(dataDir: string): string {
  const dir = path.join(dataDir, 'cases');
  const f = fs.readdirSync(dir).find((n) => n.endsWith('.runlens'))!;
  return path.join(dir, f);
}

async function openNotes(page: Page) {
  await page.getByRole('tab', { name: 'Notes' }).click();
  return page.getByRole('region', { name: 'Notes' });
}

test('a note made in the app survives a restart and appears in the report', async ({ page }) => {
  const dataDir = path.join(ROOT, 'test-results', `notes-${process.pid}-${Date.now()}`);
  const bundle = path.join(ROOT, 'resources', 'sample-bundle');
  let serve = await startServeProcess(bundle, { RUNLENS_DATA_DIR: dataDir });
  try {
    const w = watchPage(page);
    await page.setViewportSize({ width: 1280, height: 720 });
    await openApp(page, serve.url);
    // Choose the exfiltration finding: its call is selected; write a note on it.
    await page.getByRole('tab', { name: 'Findings' }).click();
    await page.getByRole('region', { name: 'Findings' }).locator('.finding-row').first().click();
    await expect.poll(() => page.evaluate(() => location.hash)).toMatch(/^#call=\d+$/);
    const notes = await openNotes(page);
    await notes.getByRole('combobox', { name: 'Note target' }).selectOption('selection');
    await notes.locator('#note-verdict').selectOption('malicious');
    await notes.getByRole('textbox', { name: 'Note' }).fill('Exfiltration of the checkout token by evil-pkg');
    await notes.getByRole('button', { name: 'Add note' }).click();
    await expect(notes.locator('.note')).toHaveCount(1);
    await expect(notes.locator('.note')).toContainText('Exfiltration of the checkout token by evil-pkg');
    await expect(notes.locator('.verdict')).toHaveText('malicious');
    await settled(page);
    await page.screenshot({ path: path.join(SHOTS, 'notes-1280.png') });
    w.check();
    await serve.stop();

    serve = await startServeProcess(bundle, { RUNLENS_DATA_DIR: dataDir });
    await openApp(page, serve.url);
    const again = await openNotes(page);
    await expect(again.locator('.note')).toHaveCount(1);
    await expect(again.locator('.note')).toContainText('Exfiltration of the checkout token by evil-pkg');
    await again.locator('.action-log summary').click();
    await expect(again.getByRole('list', { name: 'Action log' })).toContainText('note-added');

    const md = runlens(['report', caseIn(dataDir), '--format', 'md']);
    expect(md).toContain('Exfiltration of the checkout token by evil-pkg');
    expect(md).toMatch(/\| malicious \| POST telemetry\.exfil\.example:443\/v2\/collect \|/);
  } finally {
    await serve.stop();
  }
});

test('the HTML report opens offline: no request leaves the page, no script runs', async ({ page }) => {
  const work = path.join(ROOT, 'test-results', `report-${process.pid}-${Date.now()}`);
  const bundle = path.join(work, 'bundle');
  fs.cpSync(path.join(ROOT, 'resources', 'sample-bundle'), bundle, { recursive: true });
  // Hostile text in the case: markup in a producer detection's title and in a log line.
  const det = path.join(bundle, 'detections.json');
  const dets = JSON.parse(fs.readFileSync(det, 'utf8')) as { title: string }[];
  dets[0]!.title = `<script>document.title='pwned'</script><img src="https://192.0.2.1/x.png" onerror="document.title='pwned2'">`;
  fs.writeFileSync(det, JSON.stringify(dets, null, 2));
  for (const f of [path.join('test', '5_Run npm test.txt'), '1_test.txt']) {
    fs.appendFileSync(path.join(bundle, 'logs', f), `2026-10-14T09:13:00.0000000Z <iframe src="https://192.0.2.1/"></iframe><style>@import url(https://192.0.2.1/a.css)</style> ghp_${'Zx9'.repeat(12)}\n`);
  }
  const kase = path.join(work, 'case.runlens');
  runlens(['import', bundle, '--case', kase]);
  const out = path.join(work, 'report.html');
  runlens(['report', kase, '--format', 'html', '--out', out]);

  const requests: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const url = pathToFileURL(out).href;
  await page.goto(url);
  await expect(page.locator('h1')).toContainText('Runlens report');
  await expect(page.locator('svg[aria-label="Timeline: steps and findings"]')).toBeVisible();
  await expect(page.locator('body')).toContainText(`<script>document.title='pwned'</script>`);
  await expect(page.locator('body')).toContainText('<iframe src="https://192.0.2.1/"></iframe>');
  expect(await page.title()).toMatch(/^Runlens report/);
  expect(await page.locator('script, iframe, img, link, object, embed').count()).toBe(0);
  const ran = await page.evaluate(() => (window as unknown as { __ran?: boolean }).__ran === true || document.title.includes('pwned'));
  expect(ran).toBe(false);
  expect(requests).toEqual([url]);
  expect(errors).toEqual([]);
  await page.screenshot({ path: path.join(SHOTS, 'report-html.png'), fullPage: false });
});
