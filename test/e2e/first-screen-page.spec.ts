/**
 * First screen first, in the page (benchmark 7's page side: renderer/src/state/first-screen.ts, layout/later.tsx):
 * a page opened on a case draws the build log's first rows before it even asks for the other panes' code. The
 * process tree's and the timeline's chunks are held by the test (a route that answers only when told), so "before"
 * is a known state, not a race: when the page asks for them its log rows are already in the DOM; while they are
 * held, their places say they are loading (and the page does not announce itself ready) at the size the panes will
 * have (the log does not move when they come); once answered, they are drawn and the page is ready. Screenshots at
 * 1280x720 of both states.
 */
import path from 'node:path';
import { expect, test } from './support/fixtures';
import { serveUrl, settled, SHOTS } from './support/app';

test('the log rows are drawn before the process tree pane asks for its code; its place says so until it loads', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  let asked!: (rowsDrawn: boolean) => void;
  const whenAsked = new Promise<boolean>((r) => (asked = r));
  await page.route(/\/assets\/(ProcessTreeSlot|TimelineSlot)-[^/]+\.js$/, async (route) => {
    asked(await page.evaluate(() => document.querySelector('.log-pane .log-line:not(.placeholder)') !== null));
    await held;
    await route.continue();
  });

  await page.goto(serveUrl());
  const log = page.getByRole('region', { name: 'Build log' });
  await expect(log.locator('.log-line:not(.placeholder)').first()).toBeVisible();
  expect(await whenAsked, 'log rows in the DOM when the tree chunk was asked for').toBe(true);

  // Held: their places are labelled, the other panes fill in around them, the page is not "ready".
  await expect(page.locator('[data-later="Process tree"]')).toHaveText('Loading process tree… (the log is drawn first)');
  await expect(page.getByRole('region', { name: 'Timeline (loading)', exact: true })).toContainText('Loading timeline… (the log is drawn first)');
  await expect(page.getByRole('region', { name: 'Network calls', exact: true })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Details', exact: true })).toBeVisible();
  expect(await page.evaluate(() => document.body.dataset.appState)).not.toBe('ready');
  const top = () => log.evaluate((e) => Math.round(e.getBoundingClientRect().top));
  const heldTop = await top();
  await page.screenshot({ path: path.join(SHOTS, 'first-screen-page-1-panes-held-1280x720.png') });

  release();
  await page.waitForFunction(() => document.body.dataset.appState === 'ready');
  await expect(page.locator('[data-later]')).toHaveCount(0);
  await expect(page.getByRole('region', { name: 'Process tree', exact: true })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Timeline', exact: true }).locator('.tl-chart[role="group"]')).toBeVisible();
  await settled(page);
  await page.screenshot({ path: path.join(SHOTS, 'first-screen-page-2-all-panes-1280x720.png') });
  // The layout did not move when the panes came: the log is where it was drawn first.
  expect(Math.abs((await top()) - heldTop)).toBeLessThanOrEqual(2);
});

test('first-screen answers already in when the bundle runs: the log pane appears with its rows in its first render', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  // Whether the log pane had rows when it first came into the DOM (recorded by a MutationObserver, in the commit).
  await page.addInitScript(() => {
    const w = window as unknown as { __logPaneFirst?: { rows: number; placeholders: number } };
    const mo = new MutationObserver(() => {
      const pane = document.querySelector('.log-pane');
      if (!pane || w.__logPaneFirst) return;
      w.__logPaneFirst = {
        rows: pane.querySelectorAll('.log-line:not(.placeholder)').length,
        placeholders: pane.querySelectorAll('.log-line.placeholder').length,
      };
      mo.disconnect();
    });
    mo.observe(document, { childList: true, subtree: true });
  });
  const windows: string[] = [];
  page.on('request', (r) => {
    if (/\/log\.window$/.test(new URL(r.url()).pathname)) windows.push(r.postData() ?? '');
  });
  // The bundle waits until public/first-screen.js has the log's outline and first page (a known state, not a race).
  await page.route(/\/assets\/index-[^/]+\.js$/, async (route) => {
    await page.waitForFunction(() => {
      const ready = Object.keys((window as unknown as { __runlensFirstScreenReady?: object }).__runlensFirstScreenReady ?? {});
      return ready.some((k) => k.includes(' log.window ')) && ready.some((k) => k.includes(' log.outline '));
    });
    await route.continue();
  });
  await page.goto(serveUrl());
  const log = page.getByRole('region', { name: 'Build log' });
  await expect(log.locator('.log-line:not(.placeholder)').first()).toBeVisible();
  const first = await page.evaluate(() => (window as unknown as { __logPaneFirst?: { rows: number; placeholders: number } }).__logPaneFirst);
  expect(first?.rows, 'rows in the log pane when it first appeared').toBeGreaterThan(10);
  expect(first?.placeholders).toBe(0);
  expect(windows, 'the first page asked once, by public/first-screen.js').toEqual(['{"offset":0,"limit":500}']);
  await page.waitForFunction(() => document.body.dataset.appState === 'ready');
  await expect(log.locator('.log-line:not(.placeholder)').first()).toContainText('Current runner version');
});
