/* eslint-disable @typescript-eslint/no-explicit-any -- the child's JSON output is checked field by field */
/**
 * `runlens findings` on the sample bundle: one row per finding, its sources merged (the viewer's allow-list
 * finding, the local exfiltration detection and the producer's detection of the same endpoint are one row that
 * names all three), and `import --rules` findings listed with "Runlens (rules file)".
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli, runlens, SAMPLE_BUNDLE } from './cli-helpers';

let dir: string;
beforeAll(async () => {
  await buildCli();
  dir = mkdtempSync(path.join(os.tmpdir(), 'runlens-findings-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('runlens findings', () => {
  it('one row per endpoint, sources merged, most severe first', () => {
    const kase = path.join(dir, 'a.runlens');
    expect(runlens(['import', SAMPLE_BUNDLE, '--case', kase]).code).toBe(0);
    const r = runlens(['findings', kase, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const f = JSON.parse(r.stdout).findings as any[];
    const endpoints = f.map((x) => x.endpoint).filter(Boolean);
    expect(endpoints).toEqual([...new Set(endpoints)]);
    const tele = f.find((x) => x.endpoint === 'telemetry.exfil.example:443');
    expect(tele.by).toEqual(['Runlens', 'producer det-0002']);
    expect(tele.kinds).toEqual(['anomalous-endpoint', 'https-exfiltration']);
    expect(tele.sources.map((s: any) => s.title)).toContain('curl POST to telemetry.exfil.example from an npm postinstall script');
    expect(tele.target).toMatchObject({ kind: 'call' });
    expect(tele.evidence[0]).toMatchObject({ table: 'network', file: expect.stringContaining('network.jsonl'), line: 29, text: 'POST telemetry.exfil.example:443/v2/collect' });
    expect(f.map((x) => x.severity)).toEqual(['high', 'high', 'medium']);
    expect(f[2]).toMatchObject({ detection_id: 'det-0001', by: ['producer det-0001'], target: { kind: 'process' } });
    // Human output: one line per row.
    const text = runlens(['findings', kase]).stdout;
    expect(text.split('\n').filter((l) => l.includes('telemetry.exfil.example:443 '))).toHaveLength(1);
    expect(text).toContain('Runlens, producer det-0002');
  });

  it('import --rules: user rule and IOC findings, from the rules file', () => {
    const rules = path.join(dir, 'rules.yml');
    writeFileSync(rules, 'rules:\n  - id: nohup\n    title: background process via nohup\n    severity: low\n    command: "^nohup "\niocs:\n  ips: [203.0.113.45]\n');
    const kase = path.join(dir, 'b.runlens');
    const imp = runlens(['import', SAMPLE_BUNDLE, '--case', kase, '--rules', rules]);
    expect(imp.code, imp.stderr).toBe(0);
    const f = JSON.parse(runlens(['findings', kase, '--json']).stdout).findings as any[];
    const nohup = f.find((x) => x.sources.some((s: any) => s.rule === 'user:nohup'));
    expect(nohup.by).toContain('Runlens (rules file)');
    const ioc = f.find((x) => x.sources.some((s: any) => s.rule === 'ioc'));
    expect(ioc.endpoint).toBe('telemetry.exfil.example:443');
    expect(ioc.sources.find((s: any) => s.rule === 'ioc').title).toMatch(/^IOC address 203\.0\.113\.45 \(\d+ records?\)/);
    const bad = runlens(['import', SAMPLE_BUNDLE, '--case', path.join(dir, 'c.runlens'), '--rules', path.join(dir, 'none.yml')]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/none\.yml: cannot read the rules file/);
  });
});
