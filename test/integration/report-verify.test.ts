/* eslint-disable @typescript-eslint/no-explicit-any -- the report's JSON is checked field by field */
/**
 * `runlens report` (md, html, json) and `runlens verify` as real child processes on an imported copy of the
 * sample bundle: the report holds run identity, input hashes, findings with evidence (file and line), chains,
 * log lines, a note made through the API (as the app makes it) and the timeline picture; secrets masked by default.
 * `verify` says unchanged, then names the one file of the input copy whose byte was altered (exit 1), and missing.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApi } from '../../electron/api/dispatch';
import { closeSidecars } from '../../electron/notes/sidecar';
import { buildCli, runlens, SAMPLE_BUNDLE } from './cli-helpers';

let dir: string;
let bundle: string;
let kase: string;
const TOKEN = `ghp_${'Zx9'.repeat(12)}`;

beforeAll(async () => {
  await buildCli();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'runlens-report-'));
  bundle = path.join(dir, 'bundle');
  fs.cpSync(SAMPLE_BUNDLE, bundle, { recursive: true });
  // A token printed by the npm test step: the secrets rule finds it, the report masks it.
  // The same line in the step's file and in the job's log (the import keeps one of the two).
  for (const f of [path.join('test', '5_Run npm test.txt'), '1_test.txt']) {
    fs.appendFileSync(path.join(bundle, 'logs', f), `2026-10-14T09:13:00.0000000Z debug token=${TOKEN}\n`);
  }
  kase = path.join(dir, 'case.runlens');
  const r = runlens(['import', bundle, '--case', kase]);
  expect(r.code, r.stderr).toBe(0);
  const api = createApi(kase);
  const call = ((await api.call('network.query', { filter: { findingsOnly: true } })) as any).value.rows[0];
  const env = await api.call('notes.add', { target: { kind: 'call', id: call.id }, verdict: 'malicious', text: 'Confirmed: postinstall exfiltrates .git/config <b>x</b>' });
  expect(env.ok).toBe(true);
  api.close();
  closeSidecars();
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('runlens report', () => {
  it('json: identity, hashes, merged findings with evidence, chain, log lines, the note; secrets masked', () => {
    const r = runlens(['report', kase, '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.run.repository).toBe('acme/web');
    expect(j.inputs[0].sha256).toMatch(/^[0-9a-f]{64}$/);
    const tele = j.findings.find((f: any) => f.endpoint === 'telemetry.exfil.example:443');
    expect(tele.evidence[0]).toMatchObject({ file: expect.stringMatching(/network\.jsonl$/), line: 29 });
    expect(tele.chain.map((p: any) => p.pid).slice(0, 3)).toEqual([1827, 2145, 2141]);
    expect(tele.log_lines.some((l: any) => /telemetry\.exfil\.example/.test(l.text))).toBe(true);
    expect(tele.notes[0]).toMatchObject({ verdict: 'malicious' });
    expect(j.notes).toHaveLength(1);
    const secret = j.findings.find((f: any) => f.kinds.includes('secret-in-log'));
    expect(secret.log_lines[0].text).toContain('[masked github-token]');
    expect(r.stdout).not.toContain(TOKEN);
    // Revealed on request, and the action log says so.
    const shown = runlens(['report', kase, '--format', 'json', '--reveal-secrets']);
    expect(shown.stdout).toContain(TOKEN);
    const again = JSON.parse(runlens(['report', kase, '--format', 'json']).stdout);
    expect(again.actions.map((a: any) => a.action)).toContain('reveal-secrets');
  });

  it('md and html: the note, the evidence source, the timeline; html self-contained with a strict CSP', () => {
    const md = runlens(['report', kase, '--format', 'md']).stdout;
    expect(md).toContain('Confirmed: postinstall exfiltrates .git/config');
    expect(md).toMatch(/network\.jsonl:29/);
    expect(md).toContain('data:image/svg+xml;base64,');
    const out = path.join(dir, 'r.html');
    const r = runlens(['report', kase, '--format', 'html', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    const html = fs.readFileSync(out, 'utf8');
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none';`);
    expect(html).toContain('<svg');
    expect(html).not.toMatch(/<script|\bsrc=|\bhref="(?!#)/i);
    expect(html).toContain('&#60;b&#62;x&#60;/b&#62;');
    expect(runlens(['report', kase, '--format', 'html', '--out', out]).code).toBe(1);
    expect(runlens(['report', kase, '--format', 'pdf']).code).toBe(2);
  });
});

describe('runlens verify', () => {
  it('unchanged → exit 0; one byte altered → that file named, exit 1; a missing input → exit 1', () => {
    const ok = runlens(['verify', kase, '--json']);
    expect(ok.code, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout).inputs[0].state).toBe('unchanged');
    const f = path.join(bundle, 'network.jsonl');
    const buf = fs.readFileSync(f);
    buf[100] = buf[100]! ^ 1;
    fs.writeFileSync(f, buf);
    const bad = runlens(['verify', kase, '--json']);
    expect(bad.code).toBe(1);
    const v = JSON.parse(bad.stdout).inputs[0];
    expect(v).toMatchObject({ state: 'different', files: [{ member: 'network.jsonl', state: 'different' }] });
    expect(runlens(['verify', kase]).stdout).toContain('different: ');
    fs.renameSync(bundle, bundle + '-moved');
    const gone = runlens(['verify', kase, '--json']);
    expect(gone.code).toBe(1);
    expect(JSON.parse(gone.stdout).inputs[0].state).toBe('missing');
  });
});
