/**
 * First screen first, in the browser: a big generated bundle uploaded from the page opens in the workbench while
 * its import goes on. The import worker is held at its first screen and again before its analysis by the
 * test-only pause (RUNLENS_TEST_PAUSE_DIR, electron/import/partial-case.ts), so "before done" is a known state,
 * not a race. Asserted: log rows, steps and the timeline in the DOM before `import-done`, the progress strip, the
 * "not ready yet" labels (never an empty result); a log line selected during the import stays selected; after
 * completion the findings and the log filter fill in without a reload. Screenshots at 1280x720 of each state.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeBundle } from '../../bench/gen-data';
import { apiFromPage, openApp, shot } from './support/app';
import { expect, SAMPLE, test } from './support/fixtures';
import { startServeProcess } from './support/serve-process';

function bundleFiles(dir: string, rel = ''): { name: string; abs: string }[] {
  return fs.readdirSync(path.join(dir, rel), { withFileTypes: true }).flatMap((e) => {
    const r = rel ? `${rel}/${e.name}` : e.name;
    return e.isDirectory() ? bundleFiles(dir, r) : e.isFile() ? [{ name: r, abs: path.join(dir, r) }] : [];
  });
}

const appState = (page: import('@playwright/test').Page) => page.evaluate(() => document.body.dataset.appState);

test('a big bundle opens at its first screen while it imports, and fills in when the import is done', async ({ page }) => {
  test.setTimeout(300_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'runlens-e2e-first-'));
  const pause = path.join(dir, 'pause'); // created once serve has imported its own case: the pause is armed then
  const info = writeBundle(path.join(dir, 'big'), { calls: 20_000, processes: 1000, logLines: 150_000 });
  const serve = await startServeProcess(SAMPLE, { RUNLENS_DATA_DIR: path.join(dir, 'data'), RUNLENS_TEST_PAUSE_DIR: pause });
  try {
    await page.setViewportSize({ width: 1280, height: 720 });
    await openApp(page, serve.url);
    fs.mkdirSync(pause);
    const payloads = bundleFiles(info.dir).map((f) => ({ name: f.name, mimeType: 'application/octet-stream', buffer: fs.readFileSync(f.abs) }));
    await page.locator('[data-testid="open-files"]').setInputFiles(payloads);

    // The page switched to the case being built: its panes loaded from the partial case.
    await page.waitForFunction(() => document.body.dataset.appState === 'partial', null, { timeout: 180_000 });
    expect(fs.existsSync(path.join(pause, 'first-screen.reached'))).toBe(true); // the import is held there
    expect(await page.evaluate(() => document.body.dataset.importState)).toBe('loading');
    const L = page.getByRole('region', { name: 'Build log' });
    const firstLine = L.locator('.log-line:not(.placeholder)').first();
    await expect(firstLine).toBeVisible();
    expect(await L.locator('.log-line:not(.placeholder)').count()).toBeGreaterThan(10);
    expect(await appState(page)).toBe('partial'); // rows in the DOM before import-done
    // The progress strip: phase, lines so far, Cancel.
    const strip = page.locator('.case-import-strip');
    await expect(strip).toHaveAttribute('data-import-state', 'loading');
    await expect(strip).toContainText('loading');
    await expect(strip).toContainText(/[\d,]+ lines so far/);
    await expect(strip.getByRole('button', { name: 'Cancel' })).toBeVisible();
    const linesSoFar = Number(await strip.getAttribute('data-lines'));
    expect(linesSoFar).toBeGreaterThan(0);
    expect(linesSoFar).toBeLessThan(info.expected.log_lines);
    // Steps and the timeline are there; what is not ready says so.
    const steps = await apiFromPage<{ steps: unknown[] }>(page, 'steps.list');
    expect(steps.steps.length).toBe(12);
    await expect(page.getByRole('region', { name: 'Timeline' }).first()).toBeVisible();
    await expect(L.locator('[data-not-ready="log"]')).toHaveText('loading: lines so far');
    await expect(page.locator('[data-not-ready="calls"]')).toHaveText('loading: calls so far');
    await expect(page.locator('[data-not-ready="timeline"]')).toHaveText('loading: so far');
    await page.getByRole('tab', { name: 'Findings' }).click();
    const findings = page.getByRole('region', { name: 'Findings' });
    await expect(findings.locator('.not-ready')).toContainText('Not ready yet');
    await expect(findings.locator('.not-ready')).toContainText('findings are listed when the analysis is done');
    await expect(findings.getByText('No findings.')).toHaveCount(0);
    // The one selection, made while importing, survives the panes filling in.
    const third = L.locator('.log-line:not(.placeholder)').nth(2);
    const lineId = await third.getAttribute('data-line-id');
    await third.click();
    await expect(L.locator(`.log-line.selected[data-line-id="${lineId}"]`)).toHaveCount(1);
    await shot(page, 'first-screen-1-loading-1280x720');

    // On to the analysis: every row loaded; the panes reload in place (no page reload).
    fs.writeFileSync(path.join(pause, 'first-screen.go'), '');
    await page.waitForFunction(() => document.body.dataset.importState === 'analysing', null, { timeout: 120_000 });
    await page.waitForFunction(() => document.body.dataset.appState === 'partial');
    await expect(strip).toHaveAttribute('data-import-state', 'analysing');
    await expect(L.locator('[data-not-ready="log"]')).toHaveText('search not ready yet');
    await expect(page.locator('[data-not-ready="calls"]')).toHaveText('analysis not ready yet');
    await expect(page.getByRole('region', { name: 'Network calls' }).locator('.count')).toHaveText(`${info.expected.network.toLocaleString('en-US')} calls`);
    await L.getByRole('searchbox', { name: 'Filter log' }).fill('exfil');
    await L.getByRole('searchbox', { name: 'Filter log' }).press('Enter');
    await expect(L.locator('.not-ready')).toContainText('Not ready yet');
    await L.getByRole('searchbox', { name: 'Filter log' }).fill('');
    await shot(page, 'first-screen-2-analysing-1280x720');

    // Done: the same case, complete; findings and the log filter fill in; the selection is still there.
    fs.writeFileSync(path.join(pause, 'analysing.go'), '');
    await page.waitForFunction(() => document.body.dataset.appState === 'import-done', null, { timeout: 180_000 });
    expect(await page.evaluate(() => document.body.dataset.importState)).toBe('complete');
    await expect(strip).toHaveCount(0);
    await expect(page.locator('[data-not-ready]:visible')).toHaveCount(0);
    await expect(L.locator('.pane-bar .count').last()).toHaveText(`${info.expected.log_lines.toLocaleString('en-US')} lines`);
    await expect(findings.locator('.finding-row').first()).toBeVisible();
    await expect(findings.locator('.not-ready')).toHaveCount(0);
    expect(new URL(page.url()).hash).toContain(`log=${lineId}`);
    await expect(L.locator(`.log-line.selected[data-line-id="${lineId}"]`)).toHaveCount(1);
    await shot(page, 'first-screen-3-complete-1280x720');
    await L.getByRole('searchbox', { name: 'Filter log' }).fill('telemetry.exfil.example');
    await L.getByRole('searchbox', { name: 'Filter log' }).press('Enter');
    await expect(L.locator('.log-line.match-current')).toContainText('telemetry.exfil.example');
    await expect(L.locator('.not-ready')).toHaveCount(0);
  } finally {
    await serve.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a cancelled import leaves a case marked incomplete on the start page, and opening it says so', async ({ page }) => {
  test.setTimeout(240_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'runlens-e2e-cancel-'));
  const pause = path.join(dir, 'pause'); // created once serve has imported its own case: the pause is armed then
  const info = writeBundle(path.join(dir, 'cancelled'), { calls: 2000, processes: 200, logLines: 40_000 }, 11);
  const serve = await startServeProcess(SAMPLE, { RUNLENS_DATA_DIR: path.join(dir, 'data'), RUNLENS_TEST_PAUSE_DIR: pause });
  try {
    await page.setViewportSize({ width: 1280, height: 720 });
    await openApp(page, serve.url);
    fs.mkdirSync(pause);
    const payloads = bundleFiles(info.dir).map((f) => ({ name: f.name, mimeType: 'application/octet-stream', buffer: fs.readFileSync(f.abs) }));
    await page.locator('[data-testid="open-files"]').setInputFiles(payloads);
    await page.waitForFunction(() => document.body.dataset.appState === 'partial', null, { timeout: 180_000 });
    const caseId = new URL(page.url()).searchParams.get('case');
    await page.locator('.case-import-strip').getByRole('button', { name: 'Cancel' }).click();
    // The worker is held at its pause, so the cancel ends it after the grace period; the page says incomplete.
    await page.waitForFunction(() => document.body.dataset.appState === 'incomplete', null, { timeout: 60_000 });
    const notice = page.getByRole('alert', { name: 'Incomplete case' });
    await expect(notice).toContainText('This case is incomplete');
    await expect(notice).toContainText('cancelled before the case was complete');
    await shot(page, 'first-screen-4-cancelled-1280x720');
    await notice.getByRole('button', { name: 'Back to the cases' }).click();
    await page.waitForFunction(() => document.body.dataset.appState === 'start');
    const row = page.locator(`tr[data-case-id="${caseId}"]`);
    await expect(row).toHaveAttribute('data-state', 'incomplete');
    await expect(row).toContainText('incomplete');
    await shot(page, 'first-screen-5-start-page-1280x720');
  } finally {
    await serve.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('`runlens serve <job log>`: the page at the URL it prints shows the first rows at the first screen, is complete after, and an identical log served again reuses its case', async ({ page }) => {
  test.setTimeout(240_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'runlens-e2e-serve-log-'));
  const pause = path.join(dir, 'pause');
  fs.mkdirSync(pause); // armed from the start: serve's own import holds at its first screen
  const info = writeBundle(path.join(dir, 'gen'), { calls: 2000, processes: 200, logLines: 30_000 }, 7);
  const log = path.join(info.dir, info.files.find((f) => f.startsWith('logs/'))!);
  const data = path.join(dir, 'data');
  let serve = await startServeProcess(log, { RUNLENS_DATA_DIR: data, RUNLENS_TEST_PAUSE_DIR: pause });
  try {
    await page.setViewportSize({ width: 1280, height: 720 });
    await page.goto(serve.url);
    const L = page.getByRole('region', { name: 'Build log' });
    await expect(L.locator('.log-line:not(.placeholder)').first()).toBeVisible({ timeout: 120_000 });
    // the import is held there (it reaches the pause once the page has drawn its rows, or a moment after)
    await expect.poll(() => fs.existsSync(path.join(pause, 'first-screen.reached')), { timeout: 60_000 }).toBe(true);
    expect(await L.locator('.log-line:not(.placeholder)').count()).toBeGreaterThan(10);
    await page.waitForFunction(() => document.body.dataset.importState === 'loading');
    // The case's own file (named once its input is hashed; the URL's id stands for it), never the partial file.
    await expect.poll(async () => (await apiFromPage<{ case_file: string }>(page, 'case.info')).case_file, { timeout: 60_000 }).toMatch(/[0-9a-f]{32}\.runlens$/);
    await shot(page, 'first-screen-6-serve-log-1280x720');
    fs.writeFileSync(path.join(pause, 'first-screen.go'), '');
    fs.writeFileSync(path.join(pause, 'analysing.go'), '');
    await page.waitForFunction(() => document.body.dataset.appState === 'ready', null, { timeout: 180_000 });
    await expect(L.locator('.pane-bar .count').last()).toHaveText(`${(30_000).toLocaleString('en-US')} lines`);
    const caseFile = (await apiFromPage<{ case_file: string }>(page, 'case.info')).case_file;
    await serve.stop();
    fs.rmSync(pause, { recursive: true, force: true });

    // Served again: the same input's case is found by its hash, the page shows it complete, no second case is made.
    serve = await startServeProcess(log, { RUNLENS_DATA_DIR: data });
    await page.goto(serve.url);
    await page.waitForFunction(() => document.body.dataset.appState === 'ready', null, { timeout: 120_000 });
    expect((await apiFromPage<{ case_file: string }>(page, 'case.info')).case_file).toBe(caseFile);
    await expect(L.locator('.pane-bar .count').last()).toHaveText(`${(30_000).toLocaleString('en-US')} lines`);
    expect(fs.readdirSync(path.dirname(caseFile)).filter((f) => f.endsWith('.runlens'))).toEqual([path.basename(caseFile)]);
  } finally {
    await serve.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
