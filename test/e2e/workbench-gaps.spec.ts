/**
 * The workbench's last gaps, in Chromium against `runlens serve` on the sample bundle:
 * - filter hits marked on the timeline (the Network lane's strip) and in the calls table's time gutter, where the
 *   calls the API says match are (positions computed from their times);
 * - context menus from the keyboard: Shift+F10 and the ContextMenu key on a focused calls row, tree item and log line
 *   open the same menu as a right-click; arrows, Enter, Escape; focus returns;
 * - notes drawn on the timeline at their target's moment; clicking a marker selects the target.
 */
import { expect, test } from './support/fixtures';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import type { NetworkRow, Result } from '../../shared/api';
import { parseRfc3339 } from '../../shared/time';
import { apiFromPage, openApp, settled, shot } from './support/app';

const GUTTER = 84; // the timeline's label column (renderer/src/panes/timeline/lanes.ts)

async function noSeriousAxe(page: Page, what: string): Promise<void> {
  const r = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const bad = r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(bad.map((v) => `${v.id}: ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`), `axe on ${what}`).toEqual([]);
}

async function filterCalls(page: Page, expr: string): Promise<void> {
  const box = page.getByRole('searchbox', { name: 'Filter calls' });
  await box.fill(expr);
  if (expr) await box.press('Enter'); // (Enter also selects the next hit; an empty box is applied by its debounce)
  if (expr) await expect(page).toHaveURL(new RegExp(`filter=${encodeURIComponent(expr).replace(/[()]/g, '\\$&')}`));
  else await expect(page).not.toHaveURL(/filter=/);
  await settled(page);
}

test.beforeEach(async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await openApp(page);
  await page.evaluate(() => localStorage.clear());
  await openApp(page);
});

test('filter hits: marked on the timeline and in the calls table gutter where the matching calls are', async ({ page }) => {
  const expr = 'domain:exfil';
  const hits = (await apiFromPage<Result<'network.query'>>(page, 'network.query', { filter: { expr }, limit: 1000 })).rows;
  expect(hits.length).toBe(4); // the sample's exfil calls (telemetry and beacon)
  await filterCalls(page, expr);

  // timeline: one strip mark per hit pixel, at each hit's x
  const chart = page.locator('.tl-chart');
  await expect(page.locator('.tl-key-hits')).toHaveText('filter hits');
  await expect(chart).toHaveAttribute('data-filter-hits', /\d/);
  const { xs, v0, v1, width } = await chart.evaluate((el) => ({
    xs: (el.getAttribute('data-filter-hits') ?? '').split(' ').map(Number),
    v0: el.getAttribute('data-view-start')!,
    v1: el.getAttribute('data-view-end')!,
    width: el.clientWidth,
  }));
  const plotW = width - GUTTER;
  const a = parseRfc3339(v0), b = parseRfc3339(v1);
  for (const h of hits) {
    const x = (Number(parseRfc3339(h.ts) - a) / Number(b - a)) * plotW;
    expect(xs.some((m) => Math.abs(m - x) <= 2), `a mark near x=${x.toFixed(1)} for call ${h.id} (${h.ts}); marks ${xs}`).toBe(true);
  }
  expect(xs.length).toBeLessThanOrEqual(hits.length);

  // the table's gutter: the same calls, in time from the first call (top) to the last (bottom)
  const gutter = page.getByRole('img', { name: /Calls matching the filter in time/ });
  await expect(gutter).toHaveAttribute('aria-label', /: 4 in \d places/);
  const all = (await apiFromPage<Result<'network.query'>>(page, 'network.query', { limit: 1000 })).rows;
  const t0 = parseRfc3339(all[0]!.ts), t1 = parseRfc3339(all[all.length - 1]!.ts);
  const { ys, height } = await gutter.evaluate((el) => ({ ys: (el.getAttribute('data-hits') ?? '').split(' ').map(Number), height: el.clientHeight }));
  for (const h of hits) {
    const y = (Number(parseRfc3339(h.ts) - t0) / Number(t1 - t0 + 1n)) * height;
    expect(ys.some((m) => Math.abs(m - y) <= 2), `a gutter mark near y=${y.toFixed(1)} for ${h.ts}; marks ${ys}`).toBe(true);
  }
  await shot(page, 'gaps-1280x720-filter-hits');
  await noSeriousAxe(page, 'filter hits');

  // no filter: the gutter maps every call; a click near its bottom brings the last calls into view
  await filterCalls(page, '');
  await expect(page.locator('.tl-key-hits')).toHaveCount(0);
  const all2 = page.getByRole('img', { name: /^Calls in time/ });
  const last: NetworkRow = all[all.length - 1]!;
  const row = page.locator(`[role="row"][data-call-id="${last.id}"]`);
  await expect(row).not.toBeInViewport(); // 36 calls: the last is far below the first screen
  const g = (await all2.boundingBox())!;
  await page.mouse.click(g.x + g.width / 2, g.y + g.height - 2);
  await expect(row).toBeInViewport();
});

test('context menus from the keyboard: Shift+F10 / ContextMenu on a row, a tree item and a log line', async ({ page }) => {
  const exfil = (await apiFromPage<Result<'network.query'>>(page, 'network.query', { filter: { expr: 'domain:=telemetry.exfil.example' } })).rows[0]!;
  await openApp(page, undefined, `#call=${exfil.id}`);
  await settled(page);
  const menu = page.getByRole('menu', { name: 'Actions' });

  // a calls row (the table's scroller has the focus; the selected row is the one)
  const calls = page.getByRole('rowgroup', { name: 'Calls' });
  await calls.focus();
  await page.keyboard.press('Shift+F10');
  await expect(menu).toBeVisible();
  await expect(menu.getByRole('menuitem', { name: 'Copy the process chain' })).toBeVisible();
  await expect(menu.getByRole('menuitem').first()).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(menu.getByRole('menuitem').nth(1)).toBeFocused();
  await page.keyboard.press('End');
  await expect(menu.getByRole('menuitem').last()).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(menu).toHaveCount(0);
  await expect(calls).toBeFocused();
  await expect(page).toHaveURL(new RegExp(`#call=${exfil.id}`)); // Escape closed the menu, not the selection

  // a tree item: curl's (pid 1827); the ContextMenu key; Enter runs the first item
  const curl = page.getByRole('treeitem', { name: /^curl, pid 1827/ });
  await curl.focus();
  await page.keyboard.press('ContextMenu');
  await expect(menu.getByRole('menuitem').first()).toHaveText("Show this process's calls (pid 1827)");
  await page.keyboard.press('Enter');
  await expect(menu).toHaveCount(0);
  await expect(page.getByRole('searchbox', { name: 'Filter calls' })).toHaveValue('pid:1827');
  await expect(curl).toBeFocused();

  // a log line: the log's scroller focused, its selected line is the one
  await openApp(page, undefined, '#log=237');
  await settled(page);
  const log = page.getByLabel('Log lines');
  await log.focus();
  await page.keyboard.press('Shift+F10');
  await expect(menu.getByRole('menuitem').first()).toHaveText('Select line 237');
  await expect(menu.getByRole('menuitem', { name: "Show only step 4's lines" })).toBeVisible();
  await shot(page, 'gaps-1280x720-log-line-menu');
  await noSeriousAxe(page, 'a log line menu opened from the keyboard');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await expect(menu.getByRole('menuitem', { name: "Show only step 4's lines" })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('searchbox', { name: 'Filter log' })).toHaveValue('step:4');
  await expect(page.getByRole('checkbox', { name: 'Only matches' })).toBeChecked();
});

test('notes on the timeline: a marker at the target\'s moment; clicking it selects the target', async ({ page, ownServer }) => {
  await openApp(page, ownServer.url);
  const exfil = (await apiFromPage<Result<'network.query'>>(page, 'network.query', { filter: { expr: 'domain:=telemetry.exfil.example' } })).rows[0]!;
  const proc = (await apiFromPage<Result<'process.list'>>(page, 'process.list', { search: 'npm test', limit: 1 })).rows[0];
  await apiFromPage(page, 'notes.add', { target: { kind: 'call', id: exfil.id }, verdict: 'malicious', text: 'token sent out' });
  await apiFromPage(page, 'notes.add', { target: { kind: 'log', id: 237 }, verdict: 'suspicious', text: 'says it sends telemetry' });
  if (proc) await apiFromPage(page, 'notes.add', { target: { kind: 'process', id: proc.id }, verdict: 'benign', text: 'the test run' });
  const marks = (await apiFromPage<Result<'notes.marks'>>(page, 'notes.marks')).marks;
  expect(marks.find((m) => m.target.kind === 'call')!.ts).toBe(exfil.ts);
  expect(marks.find((m) => m.target.kind === 'log')!.select).toEqual({ kind: 'log', id: 237 });

  await openApp(page, ownServer.url);
  await settled(page);
  // the call and the log line are 120 ms apart: one grouped marker, whose menu lists both
  const group = page.locator('.tl-note[aria-haspopup="menu"]');
  await expect(group).toHaveText('2');
  await shot(page, 'gaps-1280x720-notes');
  await noSeriousAxe(page, 'notes on the timeline');
  await group.click();
  await page.getByRole('menuitem', { name: /^Note \(suspicious\) on log/ }).click();
  await expect(page).toHaveURL(/#log=237$/);
  await expect(page.getByRole('region', { name: 'Build log' }).locator('.log-line.selected')).toContainText('telemetry.exfil.example');
  await group.click();
  await page.getByRole('menuitem', { name: /^Note \(malicious\) on call/ }).click();
  await expect(page).toHaveURL(new RegExp(`#call=${exfil.id}$`));
  if (proc) {
    // a lone marker selects its target directly
    await page.locator('.tl-note.v-benign').click();
    await expect(page).toHaveURL(new RegExp(`#process=${proc.id}$`));
  }
});
