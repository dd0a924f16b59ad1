/**
 * The Findings pane in Chromium against `runlens serve`: on the sample bundle (and on the small test bundle),
 * every finding and every producer detection is listed with its title and severity, most severe first; selecting
 * a row selects its evidence in every pane (URL hash, Network calls row, Details); a producer detection about a
 * process shows in that process's Details.
 */
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import type { FindingOut, Result } from '../../shared/api';
import { apiFromPage, openApp, SHOTS, settled, watchPage } from './support/app';
import { ROOT, startServeProcess } from './support/serve-process';

const pane = (page: Page) => page.getByRole('region', { name: 'Findings' });
const details = (page: Page) => page.getByRole('region', { name: 'Details' });
const RANK: Record<string, number> = { critical: 0, high: 1, medium: 2, low: 3, info: 4 };

async function checkEveryFinding(page: Page): Promise<FindingOut[]> {
  await page.getByRole('tab', { name: 'Findings' }).click();
  const { findings } = await apiFromPage<Result<'findings.list'>>(page, 'findings.list');
  const detections = findings.flatMap((f) => f.sources.filter((s) => s.origin === 'producer'));
  expect(findings.length).toBeGreaterThan(0);
  const rows = pane(page).locator('.finding-row');
  await expect(rows).toHaveCount(findings.length);
  // Sorted by severity, then time.
  const ranks = findings.map((f) => RANK[f.severity] ?? 5);
  expect([...ranks].sort((a, b) => a - b)).toEqual(ranks);
  for (const [i, f] of findings.entries()) {
    const row = rows.nth(i);
    await expect(row.locator('.sev')).toHaveText(f.severity);
    await expect(row.locator('.f-title')).toHaveText(f.title ?? f.kind);
    for (const s of f.sources.slice(1)) await expect(row.locator('.f-also')).toContainText(s.title ?? s.kind);
  }
  // Every producer detection is there, with its title.
  for (const d of detections) await expect(pane(page)).toContainText(d.title!);
  for (const [i, f] of findings.entries()) {
    await rows.nth(i).click();
    const t = f.target!;
    await expect.poll(() => page.evaluate(() => location.hash)).toBe(`#${t.kind}=${t.id}`);
    await expect(rows.nth(i)).toHaveAttribute('aria-pressed', 'true');
    await expect(details(page).locator('.pane-bar')).toContainText(`${t.kind} ${t.id}`);
    if (t.kind === 'call') {
      await expect(page.getByRole('region', { name: 'Network calls' }).locator(`[data-call-id="${t.id}"]`)).toHaveAttribute('aria-selected', 'true');
      if (f.endpoint) await expect(details(page).locator('.d-title')).toContainText(f.endpoint.replace(/:\d+$/, ''));
    }
    if (t.kind === 'process') {
      const p = f.processes.find((x) => x.id === t.id);
      if (p) await expect(details(page).locator('.d-title')).toContainText(`pid ${p.pid}`);
    }
    await settled(page);
  }
  return findings;
}

test('sample bundle: every finding and producer detection, by severity; each selects its evidence', async ({ page }) => {
  const w = watchPage(page);
  await page.setViewportSize({ width: 1280, height: 720 });
  await openApp(page);
  const findings = await checkEveryFinding(page);
  expect(findings.flatMap((f) => f.sources.map((s) => s.detection_id)).filter(Boolean).sort()).toEqual(['det-0001', 'det-0002', 'det-0003']);
  // det-0001 is about the beacon process: its Details show the detection.
  const i = findings.findIndex((f) => f.detection_id === 'det-0001');
  await pane(page).locator('.finding-row').nth(i).click();
  const section = details(page).getByRole('region', { name: 'Detections' });
  await expect(section).toContainText('Background process started with nohup');
  await expect(section).toContainText('producer det-0001');
  await settled(page);
  await page.screenshot({ path: path.join(SHOTS, 'findings-1280.png') });
  // Keyboard: Up from the last row chooses the one above it and selects its evidence.
  await pane(page).locator('.finding-row').nth(i).focus();
  await page.keyboard.press('ArrowUp');
  const above = findings[i - 1]!.target!;
  await expect.poll(() => page.evaluate(() => location.hash)).toBe(`#${above.kind}=${above.id}`);
  w.check();
});

test('small test bundle: every finding listed and selectable', async ({ page }) => {
  const dataDir = path.join(ROOT, 'test-results', `findings-small-${process.pid}`);
  const serve = await startServeProcess(path.join(ROOT, 'test', 'fixtures', 'bundle', 'small-bundle'), { RUNLENS_DATA_DIR: dataDir });
  try {
    const w = watchPage(page);
    await openApp(page, serve.url);
    const findings = await checkEveryFinding(page);
    expect(findings.some((f) => f.sources.some((s) => s.origin === 'producer'))).toBe(true);
    w.check();
  } finally {
    await serve.stop();
  }
});

test('Findings and Notes panes pass axe (WCAG 2.1 AA), light and dark, at 1280x720', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await openApp(page);
    for (const tab of ['Findings', 'Notes']) {
      await page.getByRole('tab', { name: tab }).click();
      if (tab === 'Findings') await pane(page).locator('.finding-row').first().click();
      await settled(page);
      const r = await new AxeBuilder({ page }).include(`[aria-label="${tab}"]`).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
      const bad = r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
      expect(bad.map((v) => `${v.id}: ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`), `${tab} (${scheme})`).toEqual([]);
      await page.screenshot({ path: path.join(SHOTS, `findings-${tab.toLowerCase()}-${scheme}.png`) });
    }
  }
});
