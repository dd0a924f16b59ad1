/**
 * #10 in the app: hosts written in log lines, "Mentioned in log", on a case built by the real importer from a real
 * GitHub log archive (test/fixtures/gha/lewis-dimun_logs_47738665835.zip; facts read off its 0_test.txt: github.com
 * in 9 lines of steps 1, 2 and 24, first at 08:54:24.467 in "Included Software: https://github.com/actions/…";
 * jestjs.io in 4 lines of step 6 "Run Jest tests", first "• If you are trying to use ECMAScript Modules, see
 * https://jestjs.io/docs/ecmascript-modules"; step 24's first: "http.https://github.com/.extraheader"). The case has
 * logs only: it opens on this list, labelled as mentions (not calls), with the calls table collapsed and saying why.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import path from 'node:path';
import type { Result } from '../../shared/api';
import { apiFromPage, openApp, settled, shot, watchPage } from './support/app';
import { ROOT, startServeProcess, type ServeProcess } from './support/serve-process';

const ARCHIVE = path.join(ROOT, 'test', 'fixtures', 'gha', 'lewis-dimun_logs_47738665835.zip');

let serve: ServeProcess;
test.beforeAll(async () => {
  serve = await startServeProcess(ARCHIVE, { RUNLENS_DATA_DIR: process.env.RUNLENS_E2E_DATA_DIR });
});
test.afterAll(async () => {
  await serve?.stop();
});

test('a logs-only case opens on the hosts its log mentions; a mention selects its line and step', async ({ page }) => {
  const w = watchPage(page);
  await page.setViewportSize({ width: 1280, height: 720 });
  await openApp(page, serve.url);
  await page.evaluate(() => localStorage.clear());
  await openApp(page, serve.url);

  // Opened on the list, labelled as what the log says
  await expect(page.getByRole('tab', { name: 'Log hosts' })).toHaveAttribute('aria-selected', 'true');
  const pane = page.getByRole('region', { name: 'Mentioned in log' });
  await expect(pane).toBeVisible();
  await expect(pane).toContainText('mentions, not observed calls');
  // ...and the calls table says there are none because the case holds logs only (not "no network")
  await expect(page.getByRole('region', { name: 'Network calls' })).toContainText('none recorded: this case holds logs only');

  const grid = pane.getByRole('grid', { name: 'Hosts mentioned in the log' });
  const github = grid.locator('[role="row"][data-row-id="github.com"]');
  await expect(github.getByRole('gridcell').nth(1)).toHaveText('9');
  await expect(github.getByRole('gridcell').nth(2)).toHaveText('1, 2, 24');
  await expect(github.getByRole('gridcell').nth(3)).toHaveText('08:54:24');
  // first-mention order: github.com (step 1) before tsx.is (step 4) before jestjs.io (step 6)
  const order = await grid.locator('[role="row"][data-row-id]').evaluateAll((rs) => rs.map((r) => r.getAttribute('data-row-id')));
  expect(order.indexOf('github.com')).toBeLessThan(order.indexOf('tsx.is'));
  expect(order.indexOf('tsx.is')).toBeLessThan(order.indexOf('jestjs.io'));
  await shot(page, 'mentions-1280x720-logs-only');

  // Filter, then pick: the log moves to the first mentioning line and marks its step
  await pane.getByRole('searchbox', { name: 'Filter hosts mentioned in the log' }).fill('jest');
  await expect(pane).toContainText('1 host');
  const jest = grid.locator('[role="row"][data-row-id="jestjs.io"]');
  await expect(jest.getByRole('gridcell').nth(1)).toHaveText('4');
  await jest.click();
  const log = page.getByRole('region', { name: 'Build log' });
  await expect(log.locator('.log-line.selected')).toContainText('https://jestjs.io/docs/ecmascript-modules');
  await expect(log.getByLabel('Running step')).toContainText('step 6 · Run Jest tests');
  await expect(page).toHaveURL(/#log=\d+/);
  await expect(jest).toHaveAttribute('aria-selected', 'true');
  // the timeline marks the 4 lines that name it
  await expect(page.locator('.tl-chart')).toHaveAttribute('data-mention-lines', '4');
  await expect(page.locator('.tl-key-mentions')).toHaveText('lines naming jestjs.io');

  // The context menu goes to the first mention in another step
  await pane.getByRole('searchbox', { name: 'Filter hosts mentioned in the log' }).fill('');
  await github.click({ button: 'right' });
  await page.getByRole('menuitem', { name: 'First mention in step 24 · Post Run actions/checkout@v4' }).click();
  await expect(log.locator('.log-line.selected')).toContainText('http.https://github.com/.extraheader');
  await expect(log.getByLabel('Running step')).toContainText('step 24 · Post Run actions/checkout@v4');
  await expect(github).toHaveAttribute('aria-selected', 'true');
  await expect(jest).toHaveAttribute('aria-selected', 'false');
  await expect(page.locator('.tl-chart')).toHaveAttribute('data-mention-lines', '9');
  // the selected line's Details: the hosts it mentions, labelled, with where else the log names them
  const here = page.getByRole('region', { name: 'Details' }).getByRole('region', { name: 'Hosts this line mentions' });
  await expect(here).toContainText('mentioned in log');
  await expect(here).toContainText('github.com9 lines in 3 steps:');
  await settled(page);
  await shot(page, 'mentions-1280x720-step-24');

  // by keyboard alone: the list's rows move with the arrows, Enter picks, Shift+F10 opens the row's menu
  const rows = grid.getByRole('rowgroup');
  await rows.focus();
  await page.keyboard.press('Home');
  await page.keyboard.press('ArrowDown'); // the second host in first-mention order: tsx.is (step 4)
  await page.keyboard.press('Enter');
  await expect(log.locator('.log-line.selected')).toContainText('Merged into tsx: https://tsx.is');
  await page.keyboard.press('Shift+F10');
  await expect(page.getByRole('menu', { name: 'Actions' }).getByRole('menuitem').first()).toHaveText('Go to the first mention in the log');
  await expect(page.getByRole('menuitem', { name: 'First mention in step 4 · Install dependencies' })).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(rows).toBeFocused();

  const r = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  expect(r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.slice(0, 3).map((n) => n.target.join(' ') + ' ' + n.failureSummary).join(' | ')}`)).toEqual([]);
  w.check();
});

test("a call's Details names the steps whose log mentions its host, labelled as such; a step link selects the line", async ({ page }) => {
  const w = watchPage(page);
  await page.setViewportSize({ width: 1280, height: 720 });
  await openApp(page);
  await page.evaluate(() => localStorage.clear());
  const calls = (await apiFromPage<Result<'network.query'>>(page, 'network.query', { filter: { expr: 'domain:=telemetry.exfil.example' } })).rows;
  expect(calls.length).toBeGreaterThan(0);
  await openApp(page, undefined, `#call=${calls[0]!.id}`);
  const block = page.getByRole('region', { name: 'Details' }).getByLabel('Mentioned in log by step');
  await expect(block).toContainText('mentioned in log');
  await expect(block).toContainText('1 line in 1 step');
  await shot(page, 'mentions-1280x720-call-details');
  await block.getByRole('button', { name: '4 · Run npm ci' }).click();
  await expect(page).toHaveURL(/#log=\d+/);
  await expect(page.getByRole('region', { name: 'Build log' }).locator('.log-line.selected')).toContainText('telemetry.exfil.example');
  w.check();
});
