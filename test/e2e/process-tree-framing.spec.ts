/**
 * The process tree in its narrow side column, on the sample bundle (a chain ~9 processes deep to the finding):
 * framings show whole, labelled boxes (none cut at the left or right edge), the branch with findings on open, the
 * selected process with as many ancestors as fit; a trail names the ancestors out of view; the column can be
 * widened with a drag handle (remembered), and the tree re-frames to show more of the chain.
 */
import { expect, test, type Page } from '@playwright/test';
import type { CallExplanation, Result } from '../../shared/api';
import { apiFromPage, openApp, serveUrl, settled, shot, watchPage } from './support/app';

const tree = (page: Page) => page.getByRole('region', { name: 'Process tree' });
const handle = (page: Page) => page.getByRole('separator', { name: 'Process tree width' });

interface Framing {
  /** Items crossing the viewport's left or right edge (half boxes). */
  cut: string[];
  /** Process ids of the items wholly in view, and the chain ones among them. */
  whole: number[];
  chainWhole: number[];
  /** Narrowest rendered width of an item in view (px): labels are legible when the zoom is not tiny. */
  minWidth: number;
  unlabelled: number;
}

async function framing(page: Page): Promise<Framing> {
  await settled(page);
  return tree(page).evaluate((el) => {
    const vp = el.querySelector('.pt-viewport')!.getBoundingClientRect();
    const out = { cut: [] as string[], whole: [] as number[], chainWhole: [] as number[], minWidth: Infinity, unlabelled: 0 };
    for (const it of el.querySelectorAll<HTMLElement>('[role="treeitem"]')) {
      const r = it.getBoundingClientRect();
      const inX = r.right > vp.left + 0.5 && r.left < vp.right - 0.5;
      const inY = r.bottom > vp.top + 0.5 && r.top < vp.bottom - 0.5;
      if (!inX || !inY) continue;
      if (r.left < vp.left - 0.5 || r.right > vp.right + 0.5) {
        out.cut.push(it.getAttribute('aria-label') ?? '?');
        continue;
      }
      if (r.top < vp.top - 0.5 || r.bottom > vp.bottom + 0.5) continue;
      const id = Number(it.getAttribute('data-process-id'));
      out.whole.push(id);
      if (it.getAttribute('data-chain') === 'true') out.chainWhole.push(id);
      out.minWidth = Math.min(out.minWidth, r.width);
      if (!it.querySelector('.pt-name')?.textContent?.trim()) out.unlabelled++;
    }
    return out;
  });
}

async function telemetryCall(page: Page): Promise<CallExplanation> {
  const rows = (await apiFromPage<Result<'network.query'>>(page, 'network.query', { filter: { findingsOnly: true } })).rows;
  const row = rows.find((r) => r.domain === 'telemetry.exfil.example');
  expect(row, 'the telemetry finding call').toBeTruthy();
  return apiFromPage<CallExplanation>(page, 'network.explain', { id: row!.id });
}

test.beforeEach(async ({ page }) => {
  // every test starts from the default column width
  await page.goto(serveUrl());
  await page.evaluate(() => localStorage.clear());
});

test('on open the branch with findings is framed: whole, labelled boxes; the trail names the ancestors out of view', async ({ page }) => {
  const w = watchPage(page);
  await openApp(page);
  const f = await framing(page);
  expect(f.cut, 'no box cut at the left or right edge').toEqual([]);
  expect(f.whole.length).toBeGreaterThanOrEqual(3);
  expect(f.unlabelled).toBe(0);
  expect(f.minWidth).toBeGreaterThanOrEqual(100); // NODE_W 128 at zoom >= 0.8
  // a process with its own findings is whole in view
  const hot = await tree(page).locator('[role="treeitem"]:has(.pt-badge-finding)').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-process-id'))));
  expect(hot.some((id) => f.whole.includes(id)), 'a process with findings in view').toBe(true);

  // the trail names the ancestors out of view, root first; its first entry pans the tree to the root
  const trail = tree(page).getByRole('navigation', { name: 'Ancestors out of view' });
  await expect(trail).toBeVisible();
  const first = await apiFromPage<Result<'process.tree'>>(page, 'process.tree', { auto: true });
  const root = first.nodes.find((n) => n.id === first.roots[0])!;
  await expect(trail.getByRole('button').first()).toHaveText(root.name);
  await shot(page, 'process-tree-01-open');
  await trail.getByRole('button').first().click();
  await expect.poll(async () => (await framing(page)).whole).toContain(root.id);
  expect((await framing(page)).cut).toEqual([]);
  await expect(trail).toBeHidden();
  w.check();
});

test('a selected call frames its process with as many whole ancestors as fit; Reset frames again', async ({ page }) => {
  const w = watchPage(page);
  await openApp(page);
  const ex = await telemetryCall(page);
  await openApp(page, serveUrl(), `#call=${ex.id}`);
  const selected = tree(page).locator('[role="treeitem"][aria-selected="true"]');
  await expect(selected).toHaveAttribute('data-process-id', String(ex.process!.id));
  const f = await framing(page);
  expect(f.cut).toEqual([]);
  expect(f.whole).toContain(ex.process!.id);
  // the selected process and its nearest ancestors, whole and lit, at least three levels in the default column
  expect(f.whole).toContain(ex.ancestors[0]!.id);
  expect(f.chainWhole.length).toBeGreaterThanOrEqual(3);
  const chain = new Set([ex.process!.id, ...ex.ancestors.map((a) => a.id)]);
  expect(f.chainWhole.every((id) => chain.has(id))).toBe(true);
  // the rest of the chain is named in the trail (the root first)
  const trail = tree(page).getByRole('navigation', { name: 'Ancestors out of view' });
  const hiddenCount = ex.ancestors.length + 1 - f.chainWhole.length;
  expect(hiddenCount).toBeGreaterThan(0);
  await expect(trail.getByRole('button').first()).toHaveAttribute('title', new RegExp(`\\(pid ${ex.ancestors[ex.ancestors.length - 1]!.pid}\\)$`));
  await shot(page, 'process-tree-02-selected');
  await page.emulateMedia({ colorScheme: 'dark' });
  await shot(page, 'process-tree-02-selected-dark');

  // another finding, picked on the timeline: the tree frames that process (a sibling branch) in turn
  const rows = (await apiFromPage<Result<'network.query'>>(page, 'network.query', { filter: { findingsOnly: true } })).rows;
  const beacon = rows.find((r) => r.domain === 'beacon.exfil.example')!;
  const bx = await apiFromPage<CallExplanation>(page, 'network.explain', { id: beacon.id });
  await page.getByRole('region', { name: 'Timeline' }).locator(`.tl-finding[data-finding="${beacon.finding_id}"]`).click();
  await expect(selected).toHaveAttribute('data-process-id', String(bx.process!.id));
  const fb = await framing(page);
  expect(fb.cut).toEqual([]);
  expect(fb.whole).toContain(bx.process!.id);
  expect(fb.whole).toContain(bx.ancestors[0]!.id);

  // zoom out, then Reset brings the same framing back
  for (let i = 0; i < 3; i++) await tree(page).getByRole('button', { name: 'Zoom out' }).click();
  expect((await framing(page)).minWidth).toBeLessThan(100);
  await tree(page).getByRole('button', { name: 'Reset' }).click();
  await expect.poll(async () => (await framing(page)).minWidth).toBeGreaterThanOrEqual(100);
  const again = await framing(page);
  expect(again.cut).toEqual([]);
  expect(again.whole).toContain(bx.process!.id);
  expect(again.chainWhole.length).toBe(fb.chainWhole.length);
  w.check();
});

test('the column widens with its drag handle, is remembered, and the tree shows more of the chain', async ({ page }) => {
  const w = watchPage(page);
  await openApp(page);
  const ex = await telemetryCall(page);
  await openApp(page, serveUrl(), `#call=${ex.id}`);
  const region = tree(page);
  const before = (await region.boundingBox())!.width;
  const narrow = await framing(page);

  /** Drags the handle by dx px. */
  const drag = async (dx: number) => {
    const h = (await handle(page).boundingBox())!;
    await page.mouse.move(h.x + h.width / 2, h.y + h.height / 2);
    await page.mouse.down();
    await page.mouse.move(h.x + h.width / 2 + dx, h.y + h.height / 2, { steps: 6 });
    await page.mouse.up();
  };
  await drag(200);
  await expect.poll(async () => (await region.boundingBox())!.width).toBeGreaterThan(before + 190);
  let stored = Number(await page.evaluate(() => localStorage.getItem('runlens.treeColumnWidth')));
  expect(Math.abs(stored - (await region.boundingBox())!.width)).toBeLessThan(2);
  // the tree re-framed to the wider viewport: more of the chain whole, still no half boxes
  await expect.poll(async () => (await framing(page)).chainWhole.length).toBeGreaterThan(narrow.chainWhole.length);
  expect((await framing(page)).cut).toEqual([]);
  await shot(page, 'process-tree-03-wide-column');

  // never wider than the window leaves room for: the centre panes and Details keep theirs
  const vw = page.viewportSize()!.width;
  await drag(vw);
  await expect.poll(async () => Math.round((await region.boundingBox())!.width)).toBe(vw - 940);
  expect((await page.getByRole('region', { name: 'Network calls' }).boundingBox())!.width).toBeGreaterThanOrEqual(500);
  stored = Number(await page.evaluate(() => localStorage.getItem('runlens.treeColumnWidth')));
  expect(stored).toBe(vw - 940);

  // remembered across a reload
  await page.reload();
  await page.waitForFunction(() => document.body.dataset.appState === 'ready');
  await expect.poll(async () => Math.abs((await region.boundingBox())!.width - stored)).toBeLessThan(2);

  // by keyboard: arrows step the width, Home restores the default (and forgets the stored one)
  await handle(page).focus();
  await page.keyboard.press('ArrowLeft');
  await expect.poll(async () => (await region.boundingBox())!.width).toBeLessThan(stored - 10);
  await page.keyboard.press('Home');
  await expect.poll(async () => Math.round((await region.boundingBox())!.width)).toBe(Math.round(before));
  expect(await page.evaluate(() => localStorage.getItem('runlens.treeColumnWidth'))).toBeNull();
  w.check();
});
