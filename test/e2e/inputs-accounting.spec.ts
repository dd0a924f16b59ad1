/**
 * No silent loss, in the app: the Inputs panel's "What was read" lists every file read from a real GitHub log
 * archive (test/fixtures/gha/lewis-dimun_logs_47738665835.zip) with its lines, stored and skipped lines and why.
 */
import { expect, test } from '@playwright/test';
import path from 'node:path';
import { openApp, shot, watchPage } from './support/app';
import { ROOT, startServeProcess } from './support/serve-process';

const ARCHIVE = path.join(ROOT, 'test', 'fixtures', 'gha', 'lewis-dimun_logs_47738665835.zip');

test('the Inputs panel says, per file, the lines read, stored and skipped with the reason', async ({ page }) => {
  const w = watchPage(page);
  const serve = await startServeProcess(ARCHIVE, { RUNLENS_DATA_DIR: process.env.RUNLENS_E2E_DATA_DIR });
  try {
    await openApp(page, serve.url);
    await page.locator('header.app-header').getByRole('button', { name: /^Inputs/ }).click();
    const read = page.getByRole('region', { name: 'What was read' });
    await expect(read).toBeVisible();
    await expect(read).toContainText('10 files read: 2,211 lines, 1,108 stored, 1,103 skipped');
    const row = read.getByRole('row').filter({ hasText: '6_Run Jest tests.txt' });
    await expect(row).toContainText('834');
    await expect(row).toContainText('duplicate of the job log (834)');
    const job = read.getByRole('row').filter({ hasText: '0_test.txt' });
    await expect(job.getByRole('cell').nth(2)).toHaveText('1,103');
    await expect(job.getByRole('cell').nth(3)).toHaveText('1,103');
    await read.scrollIntoViewIfNeeded();
    await shot(page, 'inputs-what-was-read');
    w.check();
  } finally {
    await serve.stop();
  }
});
