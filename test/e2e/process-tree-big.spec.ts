/**
 * Scale: a generated case with 10 000 processes and 100 000 calls (scripts/make-big-case.ts), served by its own
 * `runlens serve`. Both pictures draw and stay interactive, and the DOM stays bounded: the tree keeps DOM items for
 * the viewport only, the timeline ships buckets, never rows.
 */
import { expect, test, type Page } from '@playwright/test';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Result } from '../../shared/api';
import { makeBigCase, type BigCaseSummary } from '../../scripts/make-big-case';
import { apiFromPage, openApp, shot, watchPage } from './support/app';
import { startServeProcess, type ServeProcess } from './support/serve-process';

/** Upper bounds asserted below: the tree's DOM item cap (MAX_DOM_ITEMS) plus focused/selected, our two panes, the page. */
const MAX_TREE_ITEMS = 162;
const MAX_TREE_PANE_NODES = 162 * 8 + 40;
const MAX_TIMELINE_PANE_NODES = 300;
const MAX_DOM_NODES = 3000;

let dir: string;
let big: BigCaseSummary;
let serve: ServeProcess;

test.beforeAll(async () => {
  test.setTimeout(180_000);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'runlens-big-'));
  big = makeBigCase(path.join(dir, 'big.runlens'));
  expect(big.processes).toBe(10_000);
  expect(big.calls).toBe(100_000);
  serve = await startServeProcess(big.file, { RUNLENS_DATA_DIR: dir });
});
test.afterAll(async () => {
  await serve?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

const timeline = (page: Page) => page.getByRole('region', { name: 'Timeline' });
const chart = (page: Page) => timeline(page).locator('.tl-chart');
const tree = (page: Page) => page.getByRole('region', { name: 'Process tree' });
const items = (page: Page) => tree(page).locator('[role="treeitem"]');

async function domCounts(page: Page): Promise<{ all: number; items: number; panes: Record<string, number> }> {
  return page.evaluate(() => ({
    all: document.querySelectorAll('*').length,
    items: document.querySelectorAll('[role="treeitem"]').length,
    panes: Object.fromEntries([...document.querySelectorAll('section[aria-label]')].map((s) => [s.getAttribute('aria-label'), s.querySelectorAll('*').length])),
  }));
}

test('10 000 processes and 100 000 calls: both pictures draw, the DOM stays bounded', async ({ page }) => {
  const w = watchPage(page);
  const t0 = Date.now();
  await openApp(page, serve.url);
  await expect(items(page).first()).toBeVisible();
  const canvas = chart(page).locator('canvas[role="img"]');
  await expect(canvas).toHaveAttribute('data-bucket-log2', /\d+/);
  const opened = Date.now() - t0;
  const info = await apiFromPage<Result<'case.info'>>(page, 'case.info');
  expect(info.counts.processes).toBe(10_000);
  expect(info.counts.network).toBe(100_000);
  // the tree starts collapsed around the interesting branch: the process with findings is in view
  const first = await apiFromPage<Result<'process.tree'>>(page, 'process.tree', { auto: true });
  expect(first.nodes.length).toBeLessThan(400);
  expect(first.nodes.some((n) => n.findings > 0)).toBe(true);
  await expect(tree(page).locator('[role="treeitem"].pt-has-findings').first()).toBeInViewport();
  let c = await domCounts(page);
  expect(c.items).toBeLessThanOrEqual(MAX_TREE_ITEMS);
  expect(c.panes['Process tree']).toBeLessThan(MAX_TREE_PANE_NODES);
  expect(c.panes['Timeline']).toBeLessThan(MAX_TIMELINE_PANE_NODES);
  expect(c.all).toBeLessThan(MAX_DOM_NODES);
  await shot(page, 'process-tree-big-01-open');
  console.log(`big case: ready in ${opened} ms; DOM ${c.all} elements, ${c.items} tree items`);

  // select the one exfiltration call: the tree reveals the deep chain to curl and lights it
  await page.goto(page.url().replace(/#.*/, '') + `#call=${big.curlCallId}`);
  await page.waitForFunction(() => document.body.dataset.appState === 'ready');
  const selected = tree(page).locator('[role="treeitem"][aria-selected="true"]');
  await expect(selected).toHaveAttribute('data-process-id', String(big.curlProcessId));
  await expect(selected).toHaveAttribute('data-chain', 'true');
  await expect(selected).toBeInViewport();
  // the chain's ancestors are lit as the reveal lands: polled, not read once
  await expect.poll(() => tree(page).locator('[data-chain="true"]').count()).toBeGreaterThanOrEqual(2);
  await expect(canvas).toHaveAttribute('aria-label', /Selected call at/);
  c = await domCounts(page);
  expect(c.items).toBeLessThanOrEqual(MAX_TREE_ITEMS);
  expect(c.all).toBeLessThan(MAX_DOM_NODES);
  await shot(page, 'process-tree-big-02-curl-selected');

  // the make with 2 500 children: select it, expand it by keyboard; 200 children shown with "+N more", DOM bounded
  await page.goto(page.url().replace(/#.*/, '') + `#process=${big.wideProcessId}`);
  const wide = tree(page).locator(`[role="treeitem"][data-process-id="${big.wideProcessId}"]`);
  await expect(wide).toHaveAttribute('aria-selected', 'true');
  await expect(wide).toHaveAttribute('aria-expanded', 'false');
  const truth = (await apiFromPage<Result<'process.tree'>>(page, 'process.tree', { reveal: [big.wideProcessId] })).nodes.find((n) => n.id === big.wideProcessId)!;
  expect(truth.child_count).toBeGreaterThanOrEqual(big.wideChildren);
  await expect(wide.locator('.pt-badge-more')).toHaveText(`+${truth.descendants.toLocaleString('en-US')}`);
  const shown = async () => Number((await tree(page).locator('.pt-count').textContent())!.split(' of ')[0]!.replace(/\D/g, ''));
  const before = await shown();
  await wide.focus();
  await page.keyboard.press('ArrowRight');
  await expect(wide).toHaveAttribute('aria-expanded', 'true');
  // 200 children are laid out (the rest are "+N more"), yet only the viewport's items are DOM
  await expect.poll(shown).toBe(before + 200);
  const expandedNode = (await apiFromPage<Result<'process.tree'>>(page, 'process.tree', { expanded: [big.wideProcessId], reveal: [big.wideProcessId] })).nodes.find((n) => n.id === big.wideProcessId)!;
  expect(expandedNode.children).toHaveLength(200);
  expect(expandedNode.hidden_children).toBe(truth.child_count - 200);
  await page.keyboard.press('ArrowRight');
  await expect(tree(page).locator('[role="treeitem"]:focus')).toHaveAttribute('aria-level', String(Number(await wide.getAttribute('aria-level')) + 1));
  for (let i = 0; i < 40; i++) await page.keyboard.press('ArrowDown');
  await expect(tree(page).locator('[role="treeitem"]:focus')).toBeInViewport();
  c = await domCounts(page);
  // Details shows the first 200 of the 2 500 children and says how many there are: the page stays bounded too
  await expect(page.getByRole('region', { name: 'Details' }).getByText(/first 200 of 2,5\d\d/)).toBeVisible();
  expect(c.all).toBeLessThan(MAX_DOM_NODES);
  expect(c.items).toBeLessThanOrEqual(MAX_TREE_ITEMS);
  expect(c.panes['Process tree']).toBeLessThan(MAX_TREE_PANE_NODES);
  expect(c.panes['Timeline']).toBeLessThan(MAX_TIMELINE_PANE_NODES);

  // zoom the tree all the way out with the wheel: many more nodes in view, still bounded
  const vp = (await tree(page).locator('.pt-viewport').boundingBox())!;
  await page.mouse.move(vp.x + vp.width / 2, vp.y + vp.height / 2);
  for (let i = 0; i < 15; i++) await page.mouse.wheel(0, 400);
  await expect.poll(async () => Number(await tree(page).locator('.pt-viewport').getAttribute('data-dom-items'))).toBeGreaterThan(60);
  c = await domCounts(page);
  console.log(`zoomed out: ${c.items} tree items, ${c.panes['Process tree']} elements in the tree pane`);
  expect(c.items).toBeLessThanOrEqual(MAX_TREE_ITEMS);
  expect(c.panes['Process tree']).toBeLessThan(MAX_TREE_PANE_NODES);
  await shot(page, 'process-tree-big-03-wide-expanded');
  // the canvas (edges, and the boxes past the DOM cap) follows the theme too
  await page.emulateMedia({ colorScheme: 'dark' });
  await shot(page, 'process-tree-big-03-wide-expanded-dark');
  await page.emulateMedia({ colorScheme: 'light' });

  // the timeline stays interactive: wheel zoom refetches finer buckets, a click moves the cursor
  const coarse = Number(await canvas.getAttribute('data-bucket-log2'));
  const box = (await chart(page).boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.3, box.y + 110);
  for (let i = 0; i < 6; i++) await page.mouse.wheel(0, -400);
  await expect.poll(async () => Number(await canvas.getAttribute('data-bucket-log2'))).toBeLessThan(coarse);
  await expect(chart(page)).toHaveAttribute('data-pending', '0');
  await page.mouse.click(box.x + box.width * 0.5, box.y + 110);
  await expect(chart(page)).toHaveAttribute('data-cursor', /T\d{2}:\d{2}:\d{2}\.\d{9}Z/);
  await shot(page, 'process-tree-big-04-timeline-zoomed');
  w.check();
});
