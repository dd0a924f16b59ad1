/**
 * Clock offsets from the Inputs panel, in Chromium against its own `runlens serve` (the `ownServer` fixture): set +2.5 s on network.jsonl, see the job's progress,
 * then the new case with the "clock offsets" badge and the shifted times in the Network calls table.
 */
import type { Result } from '../../shared/api';
import { apiFromPage, openApp, shot } from './support/app';
import { expect, test } from './support/fixtures';

test('sets a clock offset in the Inputs panel: progress, then the new case with the badge and shifted times', async ({
  page,
  ownServer: serve,
}) => {
  await openApp(page, serve.url);
  const before = await apiFromPage<Result<'network.query'>>(page, 'network.query', { limit: 1000 });
  const infoBefore = await apiFromPage<Result<'case.info'>>(page, 'case.info');
  // Call 5 (codeload.github.com, 09:12:04.402, during "Set up job"): +2.5 s puts it in the checkout step.
  const call5 = before.rows.find((r) => r.id === 5)!;
  expect(call5.ts).toBe('2026-10-14T09:12:04.402364000Z');
  expect(call5.running_step_number).toBe(1);
  const header = page.locator('header.app-header');
  await expect(header.getByRole('button', { name: /clock offsets/ })).toHaveCount(0);
  const table = page.getByRole('grid', { name: 'Network calls table' });
  await expect(table.locator('[data-call-id="5"] [role="gridcell"]').first()).toHaveText('09:12:04.402');

  // Record every state the progress panel shows (the job can be quick).
  await page.evaluate(() => {
    const seen: string[] = [];
    (window as unknown as { __seen: string[] }).__seen = seen;
    new MutationObserver(() => {
      const el = document.querySelector('[aria-label="Import"]');
      if (!el) return;
      const t = `${el.querySelector('progress') ? 'progress' : ''}|${el.textContent}`;
      if (seen[seen.length - 1] !== t) seen.push(t);
    }).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
  });

  await header.getByRole('button', { name: /^Inputs/ }).click();
  const panel = page.getByRole('region', { name: 'Clock offsets' });
  await expect(panel).toBeVisible();
  const field = panel.getByLabel('offset (s) for network.jsonl', { exact: true });
  await expect(field).toHaveValue('0');
  const apply = panel.getByRole('button', { name: 'Apply offsets' });
  await expect(apply).toBeDisabled();
  // A typo is refused on the page, before anything is sent.
  await field.fill('2,5');
  await expect(panel.getByRole('alert')).toContainText('number of seconds');
  await expect(apply).toBeDisabled();
  await field.fill('+2.5');
  await expect(panel).toContainText('1 change to apply');
  await shot(page, 'offsets-1-panel');
  await apply.click();

  await page.waitForFunction(() => document.body.dataset.appState === 'import-done', null, { timeout: 60_000 });
  const seen = await page.evaluate(() => (window as unknown as { __seen: string[] }).__seen);
  expect(
    seen.some((s) => s.startsWith('progress|') && s.includes('Applying clock offsets') && s.includes('Cancel')),
  ).toBe(true);
  const status = page.getByRole('status', { name: 'Import' });
  await expect(status).toContainText('Clock offsets applied to 1 source');

  // The new case: another file, the badge, the offset in force, the shifted time and the new running step.
  const info = await apiFromPage<Result<'case.info'>>(page, 'case.info');
  expect(info.case_file).not.toBe(infoBefore.case_file);
  expect(info.sources.filter((s) => s.offset_seconds !== 0).map((s) => [s.member, s.offset_seconds])).toEqual([
    ['network.jsonl', 2.5],
  ]);
  const badge = header.getByRole('button', { name: 'clock offsets: 1 source' });
  await expect(badge).toBeVisible();
  await expect(table.locator('[data-call-id="5"] [role="gridcell"]').first()).toHaveText('09:12:06.902');
  const after = await apiFromPage<Result<'network.query'>>(page, 'network.query', { limit: 1000 });
  expect(after.total).toBe(before.total);
  expect(after.rows.find((r) => r.id === 5)).toMatchObject({
    ts: '2026-10-14T09:12:06.902364000Z',
    running_step_number: 2,
  });

  // The panel stays open on the new case, with the offset in force; closed, the badge opens it again.
  await expect(
    panel
      .locator('tr', { has: page.getByLabel('offset (s) for network.jsonl', { exact: true }) })
      .locator('.in-force'),
  ).toHaveText('+2.5 s');
  await page.getByRole('dialog', { name: 'Case inputs' }).getByRole('button', { name: 'Close' }).click();
  await expect(panel).toHaveCount(0);
  await shot(page, 'offsets-3-table');
  await badge.click();
  await expect(panel).toBeVisible();
  const row = panel.locator('tr', { has: page.getByLabel('offset (s) for network.jsonl', { exact: true }) });
  await expect(row.locator('.in-force')).toHaveText('+2.5 s');
  await expect(panel.getByLabel('offset (s) for network.jsonl', { exact: true })).toHaveValue('2.5');
  await expect(panel.locator('tr.offset-input .in-force')).toHaveText('mixed');
  await shot(page, 'offsets-2-applied');
});
