/**
 * A file chosen on the start page that cannot be imported: the header's chip says "Import failed … see the message
 * below", so the message must be below it — on the start page too, not only in a case's workbench.
 */
import { openApp, shot } from './support/app';
import { expect, test } from './support/fixtures';

test('a failed import from the start page shows its message under the header', async ({ page, ownServer: serve }) => {
  await openApp(page, serve.url); // serve's own import of the sample bundle is done: a new import is not refused
  const start = new URL(page.url());
  start.search = '';
  await page.goto(start.toString());
  await page.waitForFunction(() => document.body.dataset.appState === 'start');
  await page.locator('[data-testid="open-files"]').setInputFiles({
    name: 'manifest.json',
    mimeType: 'application/json',
    buffer: Buffer.from('{"version": 1, "run": '),
  });
  await expect(page.getByRole('status', { name: 'Import' })).toContainText('Import failed');
  const panel = page.getByRole('alert', { name: 'Import error' });
  await expect(panel).toBeVisible();
  await expect(panel).toContainText('manifest.json');
  await expect(panel).toContainText('malformed JSON');
  await expect(panel).toContainText('Nothing was imported.');
  await shot(page, 'start-page-import-error');
  await panel.getByRole('button', { name: 'Dismiss' }).click();
  await expect(panel).toHaveCount(0);
  await expect(page.getByRole('heading', { name: 'Cases' })).toBeVisible();
});
