/**
 * Importing a bundle from the page (file picker, several files at once: upload -> import worker -> the page opens the
 * new case), and the build log's bounded DOM on a generated case of 1 000 000 log lines served by its own
 * `runlens serve`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Result } from '../../shared/api';
import { apiFromPage, openApp, shot, watchPage } from './support/app';
import { expect, SAMPLE, test } from './support/fixtures';
import { startServeProcess } from './support/serve-process';
import { makeBigLogCase } from './support/story-case';

function bundleFiles(dir: string, rel = ''): { name: string; abs: string }[] {
  return fs.readdirSync(path.join(dir, rel), { withFileTypes: true }).flatMap((e) => {
    const r = rel ? `${rel}/${e.name}` : e.name;
    return e.isDirectory() ? bundleFiles(dir, r) : e.isFile() ? [{ name: r, abs: path.join(dir, r) }] : [];
  });
}

test('imports a bundle picked on the page: progress, then import-done on the new case', async ({ page, ownServer: serve }) => {
  await openApp(page, serve.url);
  // A variant of the sample bundle (one extra call), so it is a new case and not the one being served.
  const files = bundleFiles(SAMPLE).filter((f) => !f.name.startsWith('logs/') && f.name !== 'README.md');
  const extra =
    '{"ts":"2026-10-14T09:13:50.000000000Z","pid":4242,"domain":"extra-import.example","ip":"192.0.2.99","port":443}\n';
  const payloads = files.map((f) => {
    let buffer = fs.readFileSync(f.abs);
    if (f.name === 'network.jsonl') buffer = Buffer.concat([buffer, Buffer.from(extra)]);
    return { name: f.name, mimeType: 'application/octet-stream', buffer };
  });
  const expectedCalls = payloads
    .find((p) => p.name === 'network.jsonl')!
    .buffer.toString('utf8')
    .split('\n')
    .filter((l) => l.trim()).length;

  // Record every state the import panel shows (it can pass quickly).
  await page.evaluate(() => {
    const seen: string[] = [];
    (window as unknown as { __importSeen: string[] }).__importSeen = seen;
    new MutationObserver(() => {
      const el = document.querySelector('[aria-label="Import"]');
      if (!el) return;
      const t = `${el.className}|${el.querySelector('progress') ? 'progress' : ''}|${el.textContent}`;
      if (seen[seen.length - 1] !== t) seen.push(t);
    }).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
  });
  await page.locator('[data-testid="open-files"]').setInputFiles(payloads);
  await page.waitForFunction(() => document.body.dataset.appState === 'import-done', null, { timeout: 60_000 });
  const seen = await page.evaluate(() => (window as unknown as { __importSeen: string[] }).__importSeen);
  expect(seen.some((s) => /uploading|importing/.test(s) && s.includes('|progress|') && s.includes('Cancel'))).toBe(
    true,
  );
  await expect(page.getByRole('status', { name: 'Import' })).toContainText('Imported');

  // The app now shows the new case: the extra call is there, and the totals match the uploaded file.
  const q = await apiFromPage<Result<'network.query'>>(page, 'network.query', {
    filter: { search: 'extra-import.example' },
  });
  expect(q.total).toBe(1);
  await expect(page.getByRole('region', { name: 'Network calls' }).locator('.count')).toHaveText(
    `${expectedCalls} calls`,
  );
  await shot(page, '07-imported');
});

test('the build log keeps a bounded number of DOM rows on 1 000 000 lines', async ({ page }) => {
  test.setTimeout(180_000);
  const w = watchPage(page);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'runlens-e2e-big-'));
  const casePath = path.join(dir, 'big.runlens');
  const LINES = 1_000_000;
  makeBigLogCase(casePath, LINES);
  const serve = await startServeProcess(casePath, { RUNLENS_DATA_DIR: dir });
  try {
    await openApp(page, serve.url);
    const L = page.getByRole('region', { name: 'Build log' });
    await expect(L.locator('.pane-bar .count').last()).toHaveText('1,000,000 lines');
    const domRows = () => L.locator('.log-row').count();
    await expect(L.locator('.log-line[data-line-id]').first()).toBeVisible();
    expect(await domRows()).toBeLessThan(120);

    // Jump to the middle and to the end by scrolling: rows of that region arrive, the DOM stays small.
    for (const frac of [0.5, 1]) {
      await L.locator('.log-scroller').evaluate(
        (el, f) => (el.scrollTop = (el.scrollHeight - el.clientHeight) * f),
        frac,
      );
      const expectIndex = Math.floor((LINES - 1) * frac);
      await expect
        .poll(async () => {
          const idx = await L.locator('.log-line[data-line-id]').evaluateAll((els) =>
            els.map((e) => Number((e as HTMLElement).dataset.index)),
          );
          return idx.length > 0 && idx.some((i) => Math.abs(i - expectIndex) < 2_000);
        })
        .toBe(true);
      expect(await domRows()).toBeLessThan(120);
    }
    await expect(L.locator('.log-line[data-index="999999"]')).toBeVisible();

    // Search far away: the match is scrolled into view.
    await L.getByLabel('Filter log').fill('"line 777777 of"');
    await L.getByLabel('Filter log').press('Enter');
    await expect(L.locator('.log-line.match-current')).toContainText('line 777777 of the big log');
    await expect(L.locator('.log-line.match-current')).toBeInViewport();
    expect(await domRows()).toBeLessThan(120);
    await shot(page, '08-million-lines');
    w.check();
  } finally {
    await serve.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
