/**
 * The workbench on a laptop screen (1280x720) and a large one, in Chromium against `runlens serve` on the sample
 * bundle: the calls table shows at least 10 rows with every column reachable; Details answers first (the log lines
 * that mention the domain in view without scrolling it); panes collapse and maximise; the filter language selects
 * exactly what the API says; the Inputs dialog closes with Esc; axe-core finds no serious or critical violation;
 * a whole investigation by keyboard alone; screenshots of every pane in light and dark themes.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import type { NetworkRow, Result } from '../../shared/api';
import { apiFromPage, openApp, settled, shot, watchPage } from './support/app';

const table = (page: Page) => page.getByRole('region', { name: 'Network calls' });
const details = (page: Page) => page.getByRole('region', { name: 'Details' });
const dataRows = (page: Page) => table(page).locator('[role="row"][data-call-id]');

async function exfilCall(page: Page): Promise<NetworkRow> {
  const rows = (await apiFromPage<Result<'network.query'>>(page, 'network.query', { filter: { findingsOnly: true } })).rows;
  return rows.find((r) => r.domain === 'telemetry.exfil.example')!;
}

async function axe(page: Page, what: string): Promise<void> {
  const r = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const bad = r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(
    bad.map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`),
    `axe on ${what}`,
  ).toEqual([]);
}

test.beforeEach(async ({ page }) => {
  await page.goto(process.env.RUNLENS_E2E_URL!);
  await page.evaluate(() => localStorage.clear());
});

for (const size of [
  { width: 1280, height: 720 },
  { width: 1600, height: 900 },
]) {
  test(`at ${size.width}x${size.height}: 10+ call rows, every column reachable, Details answers first`, async ({ page }) => {
    const w = watchPage(page);
    await page.setViewportSize(size);
    await openApp(page);
    await settled(page);
    // at least 10 whole rows in view
    const grid = table(page).getByRole('grid', { name: 'Network calls table' });
    const scroller = grid.locator('.scroller');
    const box = (await scroller.boundingBox())!;
    const whole = await dataRows(page).evaluateAll(
      (rows, b) => rows.filter((r) => {
        const x = r.getBoundingClientRect();
        return x.top >= b.y - 0.5 && x.bottom <= b.y + b.height + 0.5;
      }).length,
      box,
    );
    expect(whole).toBeGreaterThanOrEqual(10);
    // every column header can be brought into view (the grid scrolls sideways when it must)
    for (const h of await grid.getByRole('columnheader').all()) {
      await h.scrollIntoViewIfNeeded();
      await expect(h).toBeInViewport({ ratio: 1 });
    }
    // the exfiltration call: the log lines that mention the domain are visible in Details without scrolling it
    const ex = await exfilCall(page);
    await page.evaluate((id) => (location.hash = `#call=${id}`), ex.id);
    const mentions = details(page).getByRole('region', { name: 'Log mentions' });
    await expect(mentions).toContainText('telemetry.exfil.example');
    expect(await details(page).locator('.details-body').evaluate((el) => el.scrollTop)).toBe(0);
    for (const li of await mentions.locator('li').all()) await expect(li).toBeInViewport({ ratio: 1 });
    for (const label of ['Step', 'Action', 'Command', 'Chain']) {
      await expect(details(page).locator('dt', { hasText: new RegExp(`^${label}$`) }).first()).toBeInViewport();
    }
    // the log says where the call falls: between two lines, not on one
    await expect(page.getByRole('region', { name: 'Build log' }).locator('.moment-text')).toContainText(/between line \d+/);
    await axe(page, `the exfiltration call at ${size.width}x${size.height}`);
    await shot(page, `wb-${size.width}x${size.height}-exfil-call`);
    w.check();
  });
}

test('panes collapse and maximise; a collapsed pane gives its room to the others', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await openApp(page);
  const log = page.getByRole('region', { name: 'Build log' });
  const before = (await log.boundingBox())!.height;
  await table(page).getByRole('button', { name: 'Collapse Network calls' }).click();
  await expect.poll(async () => (await log.boundingBox())!.height).toBeGreaterThan(before + 200);
  await page.getByRole('button', { name: 'Expand Network calls' }).click();
  await expect(dataRows(page).first()).toBeVisible();
  await log.getByRole('button', { name: 'Maximise Build log' }).click();
  await expect(page.locator('main')).toHaveAttribute('data-maximised', 'log');
  await expect(table(page)).toBeHidden();
  expect((await log.boundingBox())!.height).toBeGreaterThan(600);
  await shot(page, 'wb-1280x720-log-maximised');
  await log.getByRole('button', { name: 'Restore Build log' }).click();
  await expect(table(page)).toBeVisible();
  await details(page).getByRole('button', { name: 'Collapse Details' }).click();
  await expect(page.getByRole('button', { name: 'Expand Details' })).toBeVisible();
  await shot(page, 'wb-1280x720-details-collapsed');
});

test('filters: the box selects exactly what the API says; the URL keeps it; Enter selects the next hit', async ({ page }) => {
  const w = watchPage(page);
  await page.setViewportSize({ width: 1280, height: 720 });
  await openApp(page);
  for (const expr of ['domain:exfil', 'ip:198.51.100.0/24', '-process:node port:443', 'method:POST OR status:blocked', 'domain:/^beacon\\./']) {
    const want = (await apiFromPage<Result<'network.query'>>(page, 'network.query', { filter: { expr }, limit: 1000 })).rows;
    await table(page).getByLabel('Filter calls').fill(expr);
    await expect(table(page).locator('.count')).toHaveText(`${want.length} call${want.length === 1 ? '' : 's'}`);
    if (want.length <= 10) await expect(dataRows(page)).toHaveCount(want.length);
    const shown = await dataRows(page).evaluateAll((rs) => rs.map((r) => Number(r.getAttribute('data-call-id'))));
    expect(shown).toEqual(want.slice(0, shown.length).map((r) => r.id));
  }
  await table(page).getByLabel('Filter calls').fill('domain:exfil');
  await table(page).getByLabel('Filter calls').press('Enter');
  const hits = (await apiFromPage<Result<'network.query'>>(page, 'network.query', { filter: { expr: 'domain:exfil' } })).rows;
  await expect(page).toHaveURL(new RegExp(`#call=${hits[0]!.id}&filter=domain%3Aexfil$`));
  await table(page).getByLabel('Filter calls').press('Enter');
  await expect(page).toHaveURL(new RegExp(`#call=${hits[1]!.id}&`));
  // a bad expression says why and filters nothing
  await table(page).getByLabel('Filter calls').fill('port:abc');
  await expect(table(page).locator('#net-filter-help')).toContainText('not a number');
  // a fresh page on the URL has the filter and the selection
  const url = page.url().replace(/#.*/, '') + `#call=${hits[1]!.id}&filter=domain%3Aexfil`;
  const page2 = await page.context().newPage();
  await page2.setViewportSize({ width: 1280, height: 720 });
  await page2.goto(url);
  await page2.waitForFunction(() => document.body.dataset.appState === 'ready');
  await expect(table(page2).getByLabel('Filter calls')).toHaveValue('domain:exfil');
  await expect(table(page2).locator('.count')).toHaveText(`${hits.length} calls`);
  await expect(table(page2).locator(`[data-call-id="${hits[1]!.id}"]`)).toHaveAttribute('aria-selected', 'true');
  // the log: only the matching lines
  const L = page2.getByRole('region', { name: 'Build log' });
  await L.getByLabel('Filter log').fill('domain:exfil.example');
  await L.getByLabel('Only matches').check();
  const lines = await apiFromPage<Result<'log.filter'>>(page2, 'log.filter', { expr: 'domain:exfil.example', offset: 0, limit: 100 });
  await expect(L.locator('.log-line[data-line-id]')).toHaveCount(lines.total);
  // context menu on a row: filter by this value
  await table(page2).getByLabel('Filter calls').fill('');
  const row = dataRows(page2).first();
  await row.click({ button: 'right' });
  const menu = page2.getByRole('menu', { name: 'Actions' });
  await expect(menu).toBeVisible();
  await shot(page2, 'wb-1280x720-context-menu');
  await menu.getByRole('menuitem', { name: /^Filter: port/ }).click();
  await expect(table(page2).getByLabel('Filter calls')).toHaveValue(/^port:\d+$/);
  await page2.close();
  w.check();
});

test('Inputs dialog fits the screen and closes with Esc; ? opens the shortcut sheet', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await openApp(page);
  await page.getByRole('button', { name: /^Inputs/ }).click();
  const dlg = page.getByRole('dialog', { name: 'Case inputs' });
  await expect(dlg).toBeVisible();
  const b = (await dlg.boundingBox())!;
  expect(b.x).toBeGreaterThanOrEqual(0);
  expect(b.x + b.width).toBeLessThanOrEqual(1280);
  expect(b.y + b.height).toBeLessThanOrEqual(720);
  await shot(page, 'wb-1280x720-inputs');
  await page.keyboard.press('Escape');
  await expect(dlg).toBeHidden();
  await expect(page.getByRole('button', { name: /^Inputs/ })).toBeFocused();
  await page.locator('body').press('?');
  const help = page.getByRole('dialog', { name: 'Keyboard shortcuts and filters' });
  await expect(help).toBeVisible();
  await axe(page, 'the shortcut sheet');
  await shot(page, 'wb-1280x720-help');
  await page.keyboard.press('Escape');
  await expect(help).toBeHidden();
});

test('a whole investigation by keyboard alone', async ({ page }) => {
  const w = watchPage(page);
  await page.setViewportSize({ width: 1280, height: 720 });
  await openApp(page);
  // filter to the findings, select the first hit with Enter
  await page.locator('body').press('/');
  await expect(table(page).getByLabel('Filter calls')).toBeFocused();
  await page.keyboard.type('verdict:outside domain:telemetry');
  await page.keyboard.press('Enter');
  const ex = await exfilCall(page);
  await expect(page).toHaveURL(new RegExp(`#call=${ex.id}&`));
  await expect(details(page).getByRole('region', { name: 'Log mentions' })).toContainText('telemetry.exfil.example');
  // Details by Tab: reach the process link of the chain and open curl's parent
  await page.keyboard.press('Escape'); // leaves the box (and clears the selection)
  await page.evaluate((id) => (location.hash = `#call=${id}`), ex.id);
  await expect(details(page).getByRole('button', { name: 'view parent' })).toBeVisible();
  await details(page).getByRole('button', { name: 'view parent' }).focus();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/#process=\d+/);
  // the tree: the selected process is focusable; arrows move, Enter selects
  const sel = page.getByRole('region', { name: 'Process tree' }).locator('[role="treeitem"][aria-selected="true"]');
  await expect(sel).toBeVisible();
  await sel.focus();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/#process=\d+/);
  // the side tabs by number keys; the process list by arrows and Enter
  await page.locator('body').press('2');
  const list = page.getByRole('grid', { name: 'Processes' });
  await expect(list).toBeVisible();
  await list.focus();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/#process=\d+/);
  // time mode by key; the shortcut sheet by ?
  await page.locator('body').press('t');
  await expect(page.getByRole('region', { name: 'Build log' }).getByRole('button', { name: 'Job', exact: true })).toBeVisible();
  // j / k walk the calls
  await page.locator('body').press('j');
  await expect(page).toHaveURL(/#call=\d+/);
  await axe(page, 'after a keyboard investigation');
  w.check();
});

const PANES: { name: string; open(page: Page): Promise<void> }[] = [
  { name: 'tree', open: async (p) => { await p.evaluate(() => { location.hash = '#call=29'; }); } },
  { name: 'process-list', open: async (p) => p.getByRole('tab', { name: 'List' }).click() },
  { name: 'dns', open: async (p) => p.getByRole('tab', { name: 'DNS' }).click() },
  { name: 'files', open: async (p) => p.getByRole('tab', { name: 'Files' }).click() },
  {
    name: 'log-hosts',
    open: async (p) => {
      await p.getByRole('tab', { name: 'Log hosts' }).click();
      await expect(p.getByRole('region', { name: 'Mentioned in log' }).locator('[role="row"][data-row-id="github.com"]')).toBeVisible();
    },
  },
  {
    name: 'sql',
    open: async (p) => {
      await p.getByRole('tab', { name: 'SQL' }).click();
      await p.getByRole('region', { name: 'SQL' }).getByRole('button', { name: 'Run', exact: true }).click();
      await expect(p.getByRole('region', { name: 'SQL' }).locator('tbody tr').first()).toBeVisible();
    },
  },
  {
    name: 'timeline-range',
    open: async (p) => {
      const b = (await p.locator('.tl-chart').boundingBox())!;
      await p.keyboard.down('Shift');
      await p.mouse.move(b.x + 220, b.y + 60);
      await p.mouse.down();
      await p.mouse.move(b.x + 420, b.y + 60, { steps: 4 });
      await p.mouse.up();
      await p.keyboard.up('Shift');
      await expect(p.locator('.range-chip').first()).toBeVisible();
    },
  },
  { name: 'settings', open: async (p) => p.getByRole('button', { name: 'Settings' }).click() },
];

for (const scheme of ['light', 'dark'] as const) {
  test(`screenshots of every pane at 1280x720, ${scheme}; axe on each`, async ({ page }) => {
    await page.setViewportSize({ width: 1280, height: 720 });
    await page.emulateMedia({ colorScheme: scheme });
    for (const p of PANES) {
      await openApp(page);
      await p.open(page);
      await settled(page);
      await shot(page, `wb-1280x720-${scheme}-${p.name}`);
      await axe(page, `${p.name} (${scheme})`);
      await page.evaluate(() => {
        localStorage.clear();
        location.hash = '';
      });
    }
  });
}
