/**
 * Timeline and process tree on the sample case, in Chromium against `runlens serve`: selecting the finding's call
 * selects the calling process in the tree with its chain lit and marks the call on the timeline; a click on the
 * timeline moves the shared time cursor and the Build log follows; pan/zoom by keyboard, wheel and drag; the tree
 * by keyboard; hovering a process highlights its calls.
 */
import { expect, test, type Page } from '@playwright/test';
import type { CallExplanation, NetworkRow, Result } from '../../shared/api';
import { apiFromPage, openApp, shot, watchPage } from './support/app';

const timeline = (page: Page) => page.getByRole('region', { name: 'Timeline' });
const chart = (page: Page) => timeline(page).locator('.tl-chart');
const tree = (page: Page) => page.getByRole('region', { name: 'Process tree' });
const log = (page: Page) => page.getByRole('region', { name: 'Build log' });
const table = (page: Page) => page.getByRole('region', { name: 'Network calls' });

const secsOf = (iso: string) => Date.parse(iso) / 1000; // ms precision is enough here
const hmsSecs = (hms: string) => {
  const [h, m, s] = hms.split(':').map(Number);
  return h! * 3600 + m! * 60 + s!;
};

async function viewOf(page: Page): Promise<{ start: number; end: number }> {
  const [a, b] = await Promise.all([chart(page).getAttribute('data-view-start'), chart(page).getAttribute('data-view-end')]);
  return { start: secsOf(a!), end: secsOf(b!) };
}

/** Time of day (seconds) of the first Build log line fully in view. */
async function firstVisibleLogTime(page: Page): Promise<number | null> {
  const t = await log(page).evaluate((el) => {
    const sc = el.querySelector('.log-scroller')!.getBoundingClientRect();
    for (const row of el.querySelectorAll<HTMLElement>('.log-line')) {
      const r = row.getBoundingClientRect();
      if (r.top >= sc.top - 1 && r.bottom <= sc.bottom + 1) return row.querySelector('.ts')?.textContent ?? null;
    }
    return null;
  });
  return t ? hmsSecs(t) : null;
}

async function findingCall(page: Page, domain: string): Promise<{ row: NetworkRow; ex: CallExplanation }> {
  const rows = (await apiFromPage<Result<'network.query'>>(page, 'network.query', { filter: { findingsOnly: true } })).rows;
  const row = rows.find((r) => r.domain === domain)!;
  expect(row, `a finding call to ${domain}`).toBeTruthy();
  return { row, ex: await apiFromPage<CallExplanation>(page, 'network.explain', { id: row.id }) };
}

test('selecting the finding’s call selects its process in the tree, lights the chain and marks the timeline', async ({ page }) => {
  const w = watchPage(page);
  await openApp(page);
  await expect(chart(page)).toBeVisible();
  await expect(tree(page).getByRole('tree')).toBeVisible();
  const { row, ex } = await findingCall(page, 'telemetry.exfil.example');
  expect(ex.process).not.toBeNull();
  expect(ex.ancestors.length).toBeGreaterThan(1);

  await table(page).getByLabel('Findings only').check();
  await table(page).locator(`[role="row"][data-call-id="${row.id}"]`).click();
  const selected = tree(page).locator('[role="treeitem"][aria-selected="true"]');
  await expect(selected).toHaveCount(1);
  await expect(selected).toHaveAttribute('data-process-id', String(ex.process!.id));
  await expect(selected).toHaveAttribute('data-chain', 'true');
  await expect(selected).toContainText('curl');
  await expect(selected).toBeInViewport();
  // its parent (in view, left of it) is lit as part of the chain; nodes off the chain are not
  const parent = tree(page).locator(`[role="treeitem"][data-process-id="${ex.ancestors[0]!.id}"]`);
  await expect(parent).toHaveAttribute('data-chain', 'true');
  await expect(parent).toHaveAttribute('aria-expanded', 'true');
  const lit = await tree(page).locator('[role="treeitem"][data-chain="true"]').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-process-id'))));
  const chainIds = new Set([ex.process!.id, ...ex.ancestors.map((a) => a.id)]);
  expect(lit.every((id) => chainIds.has(id))).toBe(true);
  // the timeline marks the call's time (and the cursor, which the selection moved there)
  await expect(chart(page).locator('canvas[role="img"]')).toHaveAttribute('aria-label', new RegExp(`Selected call at ${ex.ts.slice(11, 23)}`));
  await expect(chart(page)).toHaveAttribute('data-cursor', ex.ts);
  await shot(page, 'timeline-01-finding-selected');

  // the other finding, from its marker on the timeline: the background beacon process, under the same postinstall
  const beacon = await findingCall(page, 'beacon.exfil.example');
  expect(beacon.row.finding_id).not.toBeNull();
  // its marker: alone, or in a group of markers too close to tell apart (a count; a menu lists them)
  const single = timeline(page).locator(`.tl-finding[data-finding="${beacon.row.finding_id}"]`);
  const group = timeline(page).locator(`.tl-finding-group[data-finding-group~="${beacon.row.finding_id}"]`);
  await expect(single.or(group)).toHaveCount(1);
  if (await single.count()) await single.click();
  else {
    await group.click();
    await page.getByRole('menu', { name: 'Actions' }).getByRole('menuitem', { name: /^(?!.*no call).*beacon\.exfil\.example/ }).first().click();
  }
  // a beacon call is selected (a group's menu may list more than one finding on that endpoint)
  await expect(table(page).locator('[role="row"][aria-selected="true"]')).toContainText('beacon.exfil.example');
  await expect(selected).toHaveAttribute('data-process-id', String(beacon.ex.process!.id));
  await expect(tree(page).locator(`[role="treeitem"][data-process-id="${ex.process!.id}"]`)).not.toHaveAttribute('data-chain', 'true');
  await shot(page, 'timeline-02-beacon-selected');
  w.check();
});

test('a click on the timeline moves the time cursor and the Build log follows', async ({ page }) => {
  const w = watchPage(page);
  await openApp(page);
  await expect(chart(page)).toBeVisible();
  const before = await firstVisibleLogTime(page);
  const v = await viewOf(page);
  const info = await apiFromPage<Result<'case.info'>>(page, 'case.info');
  // a moment in the busy "Run npm test" output, 85% into the run
  const range = info.time_range!;
  const target = secsOf(range.start) + 0.85 * (secsOf(range.end) - secsOf(range.start));
  const box = (await chart(page).boundingBox())!;
  const gutter = 84;
  const x = box.x + gutter + ((target - v.start) / (v.end - v.start)) * (box.width - gutter);
  await page.mouse.click(x, box.y + 110);
  const cursor = await chart(page).getAttribute('data-cursor');
  expect(cursor).not.toBeNull();
  expect(Math.abs(secsOf(cursor!) - target)).toBeLessThan(((v.end - v.start) / box.width) * 2);

  const tod = (s: number) => s - Math.floor(s / 86400) * 86400;
  await expect.poll(() => firstVisibleLogTime(page)).not.toBe(before);
  const first = (await firstVisibleLogTime(page))!;
  expect(Math.abs(first - tod(secsOf(cursor!)))).toBeLessThan(10);
  // the log's cursor line is the first at or after the clicked moment
  const cursorLine = await log(page).locator('.log-line.cursor .ts').textContent();
  expect(hmsSecs(cursorLine!) - tod(secsOf(cursor!))).toBeGreaterThanOrEqual(-0.001);
  expect(hmsSecs(cursorLine!) - tod(secsOf(cursor!))).toBeLessThan(2);
  await shot(page, 'timeline-03-clicked');
  w.check();
});

test('pan and zoom by keyboard, wheel, drag and the overview; steps zoom in', async ({ page }) => {
  const w = watchPage(page);
  await openApp(page);
  const whole = await viewOf(page);
  const spanOf = (v: { start: number; end: number }) => v.end - v.start;
  await chart(page).focus();
  await page.keyboard.press('+');
  await page.keyboard.press('+');
  const zoomed = await viewOf(page);
  expect(spanOf(zoomed)).toBeCloseTo(spanOf(whole) / 2.25, 1);
  await page.keyboard.press('ArrowRight');
  const panned = await viewOf(page);
  expect(panned.start - zoomed.start).toBeCloseTo(spanOf(zoomed) * 0.1, 1);
  await page.keyboard.press('0');
  expect(await viewOf(page)).toEqual(whole);

  // wheel zooms around the pointer, and finer buckets are fetched for the narrower view
  const canvas = chart(page).locator('canvas[role="img"]');
  const coarse = Number(await canvas.getAttribute('data-bucket-log2'));
  const box = (await chart(page).boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + 110);
  for (let i = 0; i < 5; i++) await page.mouse.wheel(0, -300);
  await expect.poll(async () => spanOf(await viewOf(page)), { timeout: 20_000 }).toBeLessThan(spanOf(whole) / 5);
  // the finer buckets arrive from the server: on a loaded machine that can take more than the default 5 s
  await expect.poll(async () => Number(await canvas.getAttribute('data-bucket-log2')), { timeout: 20_000 }).toBeLessThan(coarse);
  // drag pans (and does not move the cursor)
  const cursorBefore = await chart(page).getAttribute('data-cursor');
  const v1 = await viewOf(page);
  await page.mouse.move(box.x + box.width / 2, box.y + 110);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2 - 200, box.y + 110, { steps: 5 });
  await page.mouse.up();
  const v2 = await viewOf(page);
  expect(v2.start).toBeGreaterThan(v1.start);
  expect(spanOf(v2)).toBeCloseTo(spanOf(v1), 3);
  expect(await chart(page).getAttribute('data-cursor')).toBe(cursorBefore);
  await shot(page, 'timeline-04-zoomed');

  // a step band is a button: it zooms to the step's window
  const steps = (await apiFromPage<Result<'timeline.steps'>>(page, 'timeline.steps')).steps;
  const npmCi = steps.find((s) => s.name === 'Run npm ci')!;
  await page.keyboard.press('0');
  await timeline(page).getByRole('button', { name: /^Step \d+: Run npm ci/ }).click();
  const v3 = await viewOf(page);
  const stepSpan = secsOf(npmCi.end!) - secsOf(npmCi.start!);
  expect(v3.start).toBeLessThanOrEqual(secsOf(npmCi.start!));
  expect(v3.end).toBeGreaterThanOrEqual(secsOf(npmCi.end!) - 0.001);
  expect(spanOf(v3)).toBeLessThan(stepSpan * 1.1);

  // the overview brush: a click there centres the view on that moment
  const ov = (await timeline(page).locator('.tl-overview').boundingBox())!;
  await page.mouse.click(ov.x + 84 + (ov.width - 84) * 0.9, ov.y + ov.height / 2);
  const v4 = await viewOf(page);
  expect(v4.start).toBeGreaterThan(v3.end);
  expect(spanOf(v4)).toBeCloseTo(spanOf(v3), 1);
  w.check();
});

test('the tree by keyboard: arrows move, Right/Left expand and collapse, Enter selects; hover lights calls', async ({ page }) => {
  const w = watchPage(page);
  await openApp(page);
  const items = tree(page).locator('[role="treeitem"]');
  await expect(items.first()).toBeVisible();
  // Tab reaches the tree: exactly one item is tabbable
  await expect(tree(page).locator('[role="treeitem"][tabindex="0"]')).toHaveCount(1);
  // an expanded node in view: Left collapses it ("+N" appears), Right expands it again, Right again enters it
  const id = await tree(page).evaluate((el) => {
    const vp = el.querySelector('.pt-viewport')!.getBoundingClientRect();
    for (const it of el.querySelectorAll('[role="treeitem"][aria-expanded="true"]')) {
      const r = it.getBoundingClientRect();
      if (r.left >= vp.left && r.right <= vp.right && r.top >= vp.top && r.bottom <= vp.bottom) return it.getAttribute('data-process-id');
    }
    return null;
  });
  expect(id, 'an expanded process in view').not.toBeNull();
  const node = tree(page).locator(`[role="treeitem"][data-process-id="${id}"]`);
  const level = Number(await node.getAttribute('aria-level'));
  await node.focus();
  await page.keyboard.press('ArrowLeft');
  await expect(node).toHaveAttribute('aria-expanded', 'false');
  await expect(node.locator('.pt-badge-more')).toBeVisible();
  await expect(node).toBeFocused();
  await page.keyboard.press('ArrowRight');
  await expect(node).toHaveAttribute('aria-expanded', 'true');
  await page.keyboard.press('ArrowRight');
  const child = tree(page).locator('[role="treeitem"]:focus');
  await expect(child).toHaveAttribute('aria-level', String(level + 1));
  await page.keyboard.press('ArrowUp');
  await expect(node).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(child).toHaveAttribute('aria-level', String(level + 1));
  await node.focus();
  await page.keyboard.press('Enter');
  await expect(node).toHaveAttribute('aria-selected', 'true');
  await expect(page).toHaveURL(new RegExp(`#process=${id}$`));
  await expect(page.getByRole('region', { name: 'Details' })).toContainText(String(await node.locator('.pt-pid').textContent()));

  // hovering a process with calls highlights them on the timeline
  const caller = await tree(page).evaluate((el) => {
    const vp = el.querySelector('.pt-viewport')!.getBoundingClientRect();
    for (const it of el.querySelectorAll('[role="treeitem"]')) {
      const r = it.getBoundingClientRect();
      const badge = it.querySelector('.pt-badge-calls');
      if (badge && r.left >= vp.left && r.right <= vp.right && r.top >= vp.top && r.bottom <= vp.bottom) {
        return { id: it.getAttribute('data-process-id')!, calls: badge.textContent!.replace(/\D/g, '') };
      }
    }
    return null;
  });
  expect(caller, 'a process with calls in view').not.toBeNull();
  const calls = await apiFromPage<Result<'process.calls'>>(page, 'process.calls', { id: Number(caller!.id) });
  expect(String(calls.total)).toBe(caller!.calls);
  await tree(page).locator(`[role="treeitem"][data-process-id="${caller!.id}"]`).hover();
  await expect(chart(page)).toHaveAttribute('data-process-calls', String(calls.calls.length));
  await page.mouse.move(5, 5);
  await expect(chart(page)).toHaveAttribute('data-process-calls', '0');
  w.check();
});
