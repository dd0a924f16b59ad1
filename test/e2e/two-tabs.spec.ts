/**
 * Issue 9's "Done when": two tabs on one `runlens serve`, a different bundle imported in each; every pane of each
 * tab shows only its own case, before and after a reload; a third tab lists both on the start page. The bundles
 * are the sample's evidence with its marks renamed (support/fixtures.ts `variant`): same shape, different story.
 */
import type { Page } from '@playwright/test';
import type { Result } from '../../shared/api';
import { apiFromPage, openApp, shot, watchPage } from './support/app';
import { expect, test, type Variant } from './support/fixtures';

const region = (page: Page, name: string) => page.getByRole('region', { name });
const caseOf = (page: Page) => new URL(page.url()).searchParams.get('case');

async function importInto(page: Page, v: Variant): Promise<string> {
  const before = caseOf(page);
  await page.locator('[data-testid="open-files"]').setInputFiles([v.archive]);
  await page.waitForFunction(() => document.body.dataset.appState === 'import-done', null, { timeout: 90_000 });
  await expect(page.getByRole('status', { name: 'Import' })).toContainText('Imported');
  const id = caseOf(page);
  expect(id).toMatch(/^[0-9a-f]{24}$/);
  expect(id).not.toBe(before);
  return id!;
}

/** Every pane shows `own`'s evidence and none of `other`'s (nor of the sample the server started with). */
async function showsOnly(page: Page, own: Variant, other: Variant): Promise<void> {
  const foreign = [other.mark, 'exfil', 'acme/web'];
  // Header: the run.
  const header = page.locator('header.app-header');
  await expect(header).toContainText(own.repository);
  // Network calls: its findings' domains only.
  const net = region(page, 'Network calls');
  await net.getByLabel('Findings only').check();
  await expect(net).toContainText(own.domain);
  // Timeline: its findings (buttons named for their endpoints).
  const timeline = region(page, 'Timeline');
  await expect(timeline.getByRole('button', { name: new RegExp(own.domain.replaceAll('.', '\\.')) }).first()).toBeAttached();
  // Select its finding: Details explains it, the tree shows its process, the log its lines.
  await net.locator('[role="row"][data-call-id]', { hasText: own.domain }).first().click();
  const details = region(page, 'Details');
  await expect(details).toContainText(own.domain);
  await expect(details).toContainText(own.process);
  await expect(region(page, 'Process tree')).toContainText(own.process);
  const log = region(page, 'Build log');
  const search = log.getByLabel('Filter log');
  await search.fill(`"${own.domain}"`);
  await search.press('Enter');
  await expect(log.locator('.log-line.match-current')).toContainText(own.domain);
  // The page's own case answers the same: nothing of the other case in it.
  const foreignHits = await apiFromPage<Result<'log.search'>>(page, 'log.search', { query: other.domain, from: -1, direction: 'next' });
  expect(foreignHits.total_matches).toBe(0);
  for (const name of ['Timeline', 'Process tree', 'Network calls', 'Build log', 'Details']) {
    const text = (await region(page, name).innerText()) + (await region(page, name).evaluate((el) => [...el.querySelectorAll('[aria-label]')].map((e) => e.getAttribute('aria-label')).join(' ')));
    for (const f of foreign) expect(text, `${name} shows "${f}"`).not.toContain(f);
  }
  const headerText = await header.innerText();
  for (const f of foreign) expect(headerText, `header shows "${f}"`).not.toContain(f);
}

test('two tabs, two bundles: every pane shows its own case, after a reload too; a third tab lists both', async ({ context, ownServer, variant }) => {
  test.setTimeout(240_000);
  const alpha = await variant('alpha');
  const bravo = await variant('bravo');
  const tabA = await context.newPage();
  const tabB = await context.newPage();
  const watches = [watchPage(tabA), watchPage(tabB)];
  await openApp(tabA, ownServer.url);
  await openApp(tabB, ownServer.url);
  const idA = await importInto(tabA, alpha);
  const idB = await importInto(tabB, bravo);
  expect(idA).not.toBe(idB);

  // Tab A did not follow tab B's import.
  expect(caseOf(tabA)).toBe(idA);
  await showsOnly(tabA, alpha, bravo);
  await showsOnly(tabB, bravo, alpha);
  await shot(tabA, '20-tab-a');
  await shot(tabB, '21-tab-b');

  // A reload keeps each tab's case (and its selection).
  for (const [tab, id] of [
    [tabA, idA],
    [tabB, idB],
  ] as const) {
    await tab.reload();
    await tab.waitForFunction(() => document.body.dataset.appState === 'ready');
    expect(caseOf(tab)).toBe(id);
    await expect(tab).toHaveURL(/#call=\d+$/);
  }
  await showsOnly(tabA, alpha, bravo);
  await showsOnly(tabB, bravo, alpha);

  // A third tab: the start page lists both (and the sample the server started with), each linking to its case.
  const tabC = await context.newPage();
  watches.push(watchPage(tabC));
  await tabC.goto(`${ownServer.origin}/`);
  await tabC.waitForFunction(() => document.body.dataset.appState === 'start');
  const cases = tabC.getByRole('table', { name: 'Cases' });
  const rowA = cases.locator(`tr[data-case-id="${idA}"]`);
  const rowB = cases.locator(`tr[data-case-id="${idB}"]`);
  await expect(rowA).toContainText(alpha.repository);
  await expect(rowB).toContainText(bravo.repository);
  await expect(rowA).not.toContainText(bravo.mark);
  await expect(cases.locator('tbody tr')).toHaveCount(3);
  await shot(tabC, '22-start-page');
  // Opening one from the start page shows it in that tab only.
  await rowB.getByRole('link').click();
  await tabC.waitForFunction(() => document.body.dataset.appState === 'import-done' || document.body.dataset.appState === 'ready');
  expect(caseOf(tabC)).toBe(idB);
  await expect(tabC.locator('header.app-header')).toContainText(bravo.repository);
  expect(caseOf(tabA)).toBe(idA);
  for (const w of watches) w.check();
});
