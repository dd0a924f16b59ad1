/**
 * The process tree in its side column, on the sample bundle (a chain 9 processes deep to curl): an indented tree,
 * so the selected process's whole chain, root to leaf, is visible at once with readable labels at the default size
 * (1280x720 and 1600x900); siblings off the chain are summarised in one row that unfolds; the column can be widened
 * with a drag handle (remembered).
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
    for (const it of el.querySelectorAll<HTMLElement>('[role="treeitem"][data-process-id]')) {
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

for (const size of [
  { width: 1280, height: 720 },
  { width: 1600, height: 900 },
]) {
  test(`at ${size.width}x${size.height} selecting the exfiltration call shows every ancestor of curl as a readable tree item`, async ({ page }) => {
    const w = watchPage(page);
    await page.setViewportSize(size);
    await openApp(page);
    const ex = await telemetryCall(page);
    expect(ex.process?.exe ?? '').toMatch(/curl$/);
    expect(ex.ancestors.length).toBeGreaterThanOrEqual(8);
    await page.evaluate((id) => (location.hash = `#call=${id}`), ex.id);
    const selected = tree(page).locator('[role="treeitem"][aria-selected="true"]');
    await expect(selected).toHaveAttribute('data-process-id', String(ex.process!.id));
    const f = await framing(page);
    expect(f.cut, 'no box cut at an edge').toEqual([]);
    expect(f.unlabelled).toBe(0);
    expect(f.minWidth, 'boxes at a legible zoom').toBeGreaterThanOrEqual(120);
    for (const p of [ex.process!, ...ex.ancestors]) {
      expect(f.chainWhole, `ancestor pid ${p.pid} visible`).toContain(p.id);
      const item = tree(page).locator(`[role="treeitem"][data-process-id="${p.id}"]`);
      await expect(item).toBeInViewport({ ratio: 0.99 });
      // a readable label: the process name at 10 px or more
      const px = await item.locator('.pt-name').evaluate((el) => parseFloat(getComputedStyle(el).fontSize) * (el.getBoundingClientRect().height / (el as HTMLElement).offsetHeight || 1));
      expect(px).toBeGreaterThanOrEqual(10);
    }
    await shot(page, `tree-chain-${size.width}x${size.height}`);
    w.check();
  });
}

test('siblings off the selected chain are summarised in one row; a click shows them', async ({ page }) => {
  const w = watchPage(page);
  await page.setViewportSize({ width: 1280, height: 720 });
  await openApp(page);
  const ex = await telemetryCall(page);
  await page.evaluate((id) => (location.hash = `#call=${id}`), ex.id);
  await expect(tree(page).locator('[role="treeitem"][aria-selected="true"]')).toHaveAttribute('data-process-id', String(ex.process!.id));
  const summary = tree(page).getByRole('treeitem', { name: /other processes of this parent/ }).first();
  await expect(summary).toBeVisible();
  const n = Number((await summary.textContent())!.replace(/\D/g, ''));
  expect(n).toBeGreaterThan(2);
  const before = await tree(page).locator('[role="treeitem"][data-process-id]').count();
  await summary.click();
  await expect.poll(async () => tree(page).locator('[role="treeitem"][data-process-id]').count()).toBeGreaterThanOrEqual(Math.min(before + n, 160));
  w.check();
});

test('on open the branch with findings is in view: whole, labelled boxes', async ({ page }) => {
  await openApp(page);
  const f = await framing(page);
  expect(f.cut, 'no box cut at the left or right edge').toEqual([]);
  expect(f.whole.length).toBeGreaterThanOrEqual(3);
  expect(f.unlabelled).toBe(0);
  expect(f.minWidth).toBeGreaterThanOrEqual(120);
  const hot = await tree(page).evaluate((el) => [...el.querySelectorAll('.pt-has-findings')].map((n) => Number(n.getAttribute('data-process-id'))));
  expect(hot.some((id) => f.whole.includes(id)), 'a process with findings in view').toBe(true);
});

test('the column widens with its drag handle and is remembered', async ({ page }) => {
  await openApp(page);
  const region = page.locator('.slot-tree');
  const before = (await region.boundingBox())!.width;
  const h = (await handle(page).boundingBox())!;
  await page.mouse.move(h.x + h.width / 2, h.y + 40);
  await page.mouse.down();
  await page.mouse.move(h.x + h.width / 2 + 200, h.y + 40, { steps: 5 });
  await page.mouse.up();
  await expect.poll(async () => (await region.boundingBox())!.width).toBeGreaterThan(before + 190);
  const stored = Number(await page.evaluate(() => localStorage.getItem('runlens.treeColumnWidth')));
  expect(Math.abs(stored - (await region.boundingBox())!.width)).toBeLessThan(2);
  expect((await framing(page)).cut).toEqual([]);
  await page.reload();
  await page.waitForFunction(() => document.body.dataset.appState === 'ready');
  await expect.poll(async () => Math.abs((await region.boundingBox())!.width - stored)).toBeLessThan(2);
  // Home restores the default
  await handle(page).focus();
  await page.keyboard.press('Home');
  await expect.poll(async () => Math.round((await region.boundingBox())!.width)).toBe(Math.round(before));
});
