/* eslint-disable @typescript-eslint/no-explicit-any -- the child's JSON output is checked field by field */
/**
 * The CLI on the sample bundle (resources/sample-bundle, a folder bundle given directly): imported into a
 * temporary default case location, then asked the investigator's questions. The answers are the ones its README
 * states (which step, action, process chain and command made each bad call).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli, runlens, SAMPLE_BUNDLE, sampleBundlePresent } from './cli-helpers';

let data: string;
const env = () => ({ RUNLENS_DATA_DIR: data });
const json = (args: string[]) => {
  const r = runlens([...args, '--json'], env());
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
};

beforeAll(async () => {
  await buildCli();
  data = mkdtempSync(path.join(os.tmpdir(), 'runlens-sample-'));
});
afterAll(() => rmSync(data, { recursive: true, force: true }));

describe.skipIf(!sampleBundlePresent)('runlens on resources/sample-bundle', () => {
  it('import: counts as the README states', () => {
    const s = json(['import', SAMPLE_BUNDLE]);
    expect(s.counts).toMatchObject({ network: 36, dns: 12, processes: 49, process_events: 103, steps: 7, files: 18, log_lines: 332 });
  });

  it('steps: the seven steps with their actions', () => {
    const { steps } = json(['steps', SAMPLE_BUNDLE]);
    expect(steps.map((s: any) => s.name)).toEqual([
      'Set up job',
      'Run actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683',
      'Run actions/setup-node@49933ea5288caeca8642d1e84afbd3f7d6820020',
      'Run npm ci',
      'Run npm test',
      'Post Run actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683',
      'Complete job',
    ]);
    expect(steps[1].uses).toMatch(/^actions\/checkout@/);
    expect(steps.reduce((n: number, s: any) => n + s.log_lines, 0)).toBe(332);
  });

  it('findings: the two exfiltration endpoints, high, from npm ci', () => {
    const f = json(['findings', SAMPLE_BUNDLE]);
    const viewer = f.findings.filter((x: any) => x.origin === 'viewer');
    expect(viewer.map((x: any) => [x.endpoint, x.severity, x.calls]).sort()).toEqual([
      ['beacon.exfil.example:443', 'high', 3],
      ['telemetry.exfil.example:443', 'high', 1],
    ]);
    for (const x of viewer) expect(x.steps.map((s: any) => s.name)).toEqual(['Run npm ci']);
    expect(f.policy.egress_policy).toBe('audit');
  });

  it('explain: curl (the reused pid 1827) under the postinstall, in npm ci; POST /v2/collect', () => {
    const { calls } = json(['explain', SAMPLE_BUNDLE, '--endpoint', 'telemetry.exfil.example']);
    expect(calls).toHaveLength(1);
    const c = calls[0];
    expect(c.process).toMatchObject({ pid: 1827, exe: expect.stringMatching(/curl$/) });
    expect(c.http).toMatchObject({ method: 'POST', path: '/v2/collect', status_code: 202 });
    expect(c.ancestors.map((a: any) => a.args.join(' '))).toEqual(
      expect.arrayContaining([expect.stringContaining('node scripts/postinstall.js'), expect.stringMatching(/npm ci/)]),
    );
    // Nearest parent first: sh -c "curl …", then up through npm ci and bash to the worker, the listener and init.
    const exes = c.ancestors.map((a: any) => String(a.exe).split('/').pop());
    expect(exes[0]).toBe('sh');
    expect(exes.slice(-3)).toEqual(['Runner.Worker', 'Runner.Listener', 'init']);
    expect(c.step.name).toBe('Run npm ci');
    expect(c.running_step.name).toBe('Run npm ci');
    expect(c.log_mentions.map((l: any) => l.text).join('\n')).toContain('sending install telemetry to https://telemetry.exfil.example/v2/collect');
  });

  it('explain: the beacon started in npm ci, running during npm test (one call known only by its IP)', () => {
    const { calls } = json(['explain', SAMPLE_BUNDLE, '--endpoint', 'beacon.exfil.example:443']);
    expect(calls).toHaveLength(3);
    for (const c of calls) {
      expect(c.process).toMatchObject({ pid: 2144 });
      expect(c.process.args.join(' ')).toContain('.cache/beacon.js');
      expect(c.step.name).toBe('Run npm ci');
      expect(c.running_step.name).toBe('Run npm test');
    }
    expect(calls.some((c: any) => c.ip === '198.51.100.77')).toBe(true);
    const human = runlens(['explain', SAMPLE_BUNDLE, '--endpoint', 'beacon.exfil.example'], env());
    expect(human.stdout).toContain('(a different step was running)');
  });
});
