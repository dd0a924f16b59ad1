/**
 * The investigation walk on the sample bundle, in Chromium against `runlens serve`: findings only, select the
 * finding's call, the log follows to that moment and marks the running step, Details names step, action, command
 * and HTTP; j/k; the URL hash restores the selection; Esc clears.
 */
import { expect, test, type Page } from '@playwright/test';
import type { CallExplanation, NetworkRow, Result } from '../../shared/api';
import { apiFromPage, openApp, shot, watchPage } from './support/app';

const table = (page: Page) => page.getByRole('region', { name: 'Network calls' });
const log = (page: Page) => page.getByRole('region', { name: 'Build log' });
const details = (page: Page) => page.getByRole('region', { name: 'Details' });
const dataRows = (page: Page) => table(page).locator('[role="row"][data-call-id]');

async function findingCalls(page: Page): Promise<NetworkRow[]> {
  return (await apiFromPage<Result<'network.query'>>(page, 'network.query', { filter: { findingsOnly: true } })).rows;
}

test('opens the case with run info and every pane', async ({ page }) => {
  const w = watchPage(page);
  await openApp(page);
  for (const name of ['Timeline', 'Process tree', 'Network calls', 'Build log', 'Details']) {
    await expect(page.getByRole('region', { name })).toBeVisible();
  }
  const info = await apiFromPage<Result<'case.info'>>(page, 'case.info');
  const header = page.locator('header');
  await expect(header).toContainText(String(info.run?.repository));
  await expect(header).toContainText(String(info.run?.workflow));
  await expect(header).toContainText(String(info.run?.head_sha).slice(0, 12));
  await expect(table(page).locator('.count')).toHaveText(`${info.counts.network} calls`);
  // Inputs with their hashes, from the header.
  await header.getByRole('button', { name: /^Inputs/ }).click();
  const inputs = page.getByRole('dialog', { name: 'Case inputs' });
  await expect(inputs).toContainText(info.inputs[0]!.sha256);
  await shot(page, '01-open-inputs');
  await inputs.getByRole('button', { name: 'Close' }).click();
  await shot(page, '02-open');
  await page.emulateMedia({ colorScheme: 'dark' });
  await expect(page.locator('body')).toHaveCSS('background-color', 'rgb(20, 23, 27)');
  await shot(page, '02-open-dark');
  w.check();
});

test('findings only, select the finding: log follows, Details explains', async ({ page }) => {
  const w = watchPage(page);
  await openApp(page);
  const findings = await findingCalls(page);
  expect(findings.length).toBeGreaterThan(0);
  const target = findings.find((r) => r.domain === 'telemetry.exfil.example')!;
  expect(target).toBeTruthy();

  await table(page).getByLabel('Findings only').check();
  await expect(dataRows(page)).toHaveCount(findings.length);
  await expect(table(page).locator('.count')).toHaveText(`${findings.length} call${findings.length === 1 ? '' : 's'}`);

  const row = table(page).locator(`[role="row"][data-call-id="${target.id}"]`);
  await row.click();
  await expect(row).toHaveAttribute('aria-selected', 'true');
  await expect(dataRows(page).and(page.locator('[aria-selected="true"]'))).toHaveCount(1);
  await expect(page).toHaveURL(new RegExp(`#call=${target.id}$`));

  const ex = await apiFromPage<CallExplanation>(page, 'network.explain', { id: target.id });
  expect(ex.step?.name).toBe('Run npm ci');
  const d = details(page);
  const field = (label: string) =>
    d.locator('dt', { hasText: new RegExp(`^${label}$`) }).locator('xpath=following-sibling::dd[1]');
  await expect(field('Step')).toContainText('Run npm ci');
  await expect(field('Running step')).toContainText('Run npm ci');
  await expect(field('Action')).toContainText(ex.step?.uses ?? 'run script');
  await expect(field('Command')).toContainText('curl');
  await expect(field('HTTP')).toContainText('POST');
  await expect(field('HTTP')).toContainText('/v2/collect');
  await expect(d.getByRole('region', { name: 'Process chain' })).toContainText('curl');
  // the answer first: the log lines that mention the domain are in view without scrolling Details
  await expect(d.getByRole('region', { name: 'Log mentions' })).toContainText('telemetry.exfil.example');
  await expect(d.getByRole('region', { name: 'Log mentions' }).locator('li').first()).toBeInViewport();
  // the raw record is folded: open it
  await d.locator('summary', { hasText: 'Raw record' }).click();
  await expect(d.getByRole('region', { name: 'Raw record' })).toContainText('telemetry.exfil.example');
  await expect(d.getByRole('region', { name: 'Raw record' })).toContainText('network.jsonl');

  // The log scrolled to the call's moment: the cursor line is in view, its time within seconds of the call.
  const cursor = log(page).locator('.log-line.cursor');
  await expect(cursor).toBeInViewport();
  const cursorTime = (await cursor.locator('.ts').textContent())!;
  const callTime = ex.ts.slice(11, 19);
  expect(Math.abs(secs(cursorTime) - secs(callTime))).toBeLessThan(10);
  // ... and marks the running step, in the bar and on the lines of that step in view.
  await expect(log(page).getByLabel('Running step')).toContainText('Run npm ci');
  await expect.poll(() => log(page).locator('.log-line.in-running').count()).toBeGreaterThan(5);
  await shot(page, '03-finding-selected');

  // Details links move the selection: view the parent of curl.
  await d.getByRole('region', { name: 'Process chain' }).getByRole('button', { name: 'view parent' }).first().click();
  await expect(page).toHaveURL(/#process=\d+$/);
  await expect(d.locator('dt', { hasText: /^Command$/ })).toBeVisible();
  await shot(page, '04-process-details');
  w.check();
});

function secs(hms: string): number {
  const [h, m, s] = hms.split(':').map(Number);
  return h! * 3600 + m! * 60 + s!;
}

test('j/k walk the calls in table order, the hash restores a selection, Esc clears', async ({ page }) => {
  const w = watchPage(page);
  await openApp(page);
  const all = (await apiFromPage<Result<'network.query'>>(page, 'network.query', { limit: 5 })).rows;
  await page.locator('body').press('j');
  await expect(page).toHaveURL(new RegExp(`#call=${all[0]!.id}$`));
  await page.locator('body').press('j');
  await page.locator('body').press('j');
  await expect(page).toHaveURL(new RegExp(`#call=${all[2]!.id}$`));
  await expect(table(page).locator(`[data-call-id="${all[2]!.id}"]`)).toHaveAttribute('aria-selected', 'true');
  await page.locator('body').press('k');
  await expect(page).toHaveURL(new RegExp(`#call=${all[1]!.id}$`));

  // f toggles findings only; / focuses the filter box.
  await page.locator('body').press('f');
  await expect(table(page).getByLabel('Findings only')).toBeChecked();
  await page.locator('body').press('/');
  await expect(table(page).getByLabel('Filter calls')).toBeFocused();
  await page.keyboard.type('beacon');
  const beacon = (
    await apiFromPage<Result<'network.query'>>(page, 'network.query', {
      filter: { findingsOnly: true, search: 'beacon' },
    })
  ).rows;
  await expect(dataRows(page)).toHaveCount(beacon.length);
  await page.keyboard.press('Escape');

  // A fresh page opened on a hash shows that selection everywhere.
  const bg = beacon[0]!;
  const page2 = await page.context().newPage();
  await openApp(page2, undefined, `#call=${bg.id}`);
  await expect(table(page2).locator(`[data-call-id="${bg.id}"]`)).toHaveAttribute('aria-selected', 'true');
  await expect(details(page2)).toContainText('beacon.exfil.example');
  // The background beacon was started in "Run npm ci" and runs during "Run npm test".
  await expect(details(page2)).toContainText('background: started in step');
  await expect(log(page2).getByLabel('Running step')).toContainText('Run npm test');
  await shot(page2, '05-hash-restore-background-call');
  await page2.locator('body').press('Escape');
  await expect(page2).not.toHaveURL(/#/);
  await expect(details(page2)).toContainText('Select a call');
  await page2.close();
  w.check();
});

test('the build log: fold groups, search with next/previous, relative times', async ({ page }) => {
  const w = watchPage(page);
  await openApp(page);
  const L = log(page);
  const search = L.getByLabel('Filter log');
  await search.fill('postinstall');
  await search.press('Enter');
  const first = await apiFromPage<Result<'log.search'>>(page, 'log.search', {
    query: 'postinstall',
    from: -1,
    direction: 'next',
  });
  await expect(L.locator(`.log-line.match-current[data-index="${first.index}"]`)).toBeInViewport();
  await expect(L.locator('.log-line.match-current mark').first()).toHaveText(/postinstall/i);
  await expect(L.locator('.count').first()).toHaveText(`${first.total_matches} matching lines`);
  await L.getByRole('button', { name: 'Next match' }).click();
  const second = await apiFromPage<Result<'log.search'>>(page, 'log.search', {
    query: 'postinstall',
    from: first.index,
    direction: 'next',
  });
  await expect(L.locator(`.log-line.match-current[data-index="${second.index}"]`)).toBeVisible();
  await L.getByRole('button', { name: 'Previous match' }).click();
  await expect(L.locator(`.log-line.match-current[data-index="${first.index}"]`)).toBeVisible();

  await L.getByRole('button', { name: 'UTC', exact: true }).click();
  // Job time counts from the run's start: the first line of "Set up job" is within seconds of it.
  await L.evaluate((el) => ((el.querySelector('.log-scroller') as HTMLElement).scrollTop = 0));
  await expect(L.locator('.log-line[data-index="0"] .ts')).toHaveText(/^\+0:0\d\.\d{3}$/);

  // Fold the first group: its lines leave the DOM, the header stays.
  const outline = await apiFromPage<Result<'log.outline'>>(page, 'log.outline');
  const g = outline.groups[0]!;
  await L.evaluate((el) => ((el.querySelector('.log-scroller') as HTMLElement).scrollTop = 0));
  await expect(L.locator(`.log-line[data-index="${g.start + 1}"]`)).toBeVisible();
  await L.locator(`.log-line[data-index="${g.start}"]`).getByRole('button', { name: 'Fold group' }).click();
  await expect(L.locator(`.log-line[data-index="${g.start + 1}"]`)).toHaveCount(0);
  await expect(L.locator(`.log-line[data-index="${g.end + 1}"]`)).toBeVisible();
  await shot(page, '06-log-folded-relative');
  await L.locator(`.log-line[data-index="${g.start}"]`).getByRole('button', { name: 'Unfold group' }).click();
  await expect(L.locator(`.log-line[data-index="${g.start + 1}"]`)).toBeVisible();
  w.check();
});
