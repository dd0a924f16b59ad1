/** Each bundle v1 file importer: good records, and bad ones (warning with line, record skipped, rest loads). */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseRfc3339 } from '../../shared/time';
import { bundleDetectionsImporter } from '../../electron/import/bundle/detections';
import { bundleDnsImporter } from '../../electron/import/bundle/dns';
import { bundleFilesImporter } from '../../electron/import/bundle/files';
import { bundleManifestImporter } from '../../electron/import/bundle/manifest';
import { bundleNetworkImporter } from '../../electron/import/bundle/network';
import { bundleProcessesImporter } from '../../electron/import/bundle/processes';
import { bundleProcessTableImporter } from '../../electron/import/bundle/process-table';
import { FIXTURE_BUNDLE, runImporter } from '../integration/import-helpers';

const fixture = (name: string) => fs.readFileSync(path.join(FIXTURE_BUNDLE, name));
const T = (s: string) => parseRfc3339(s);

describe('manifest.json', () => {
  it('reads run, policy and steps with their lines and raw text', async () => {
    const s = await runImporter(bundleManifestImporter, 'manifest.json', fixture('manifest.json'));
    expect(s.warnings).toEqual([]);
    expect(s.runs).toHaveLength(1);
    expect(s.runs[0]).toMatchObject({ repository: 'acme/web', job: 'test', run_id: 18311492377, producer: { name: 'runner-telemetry-export' } });
    expect(s.policies).toEqual([{ egress_policy: 'audit', allowed_endpoints: ['github.com:443', '*.example.org:443'], origin: 'manifest' }]);
    expect(s.steps.map((x) => [x.number, x.name, x.job, x.origin])).toEqual([
      [1, 'Set up job', 'test', 'manifest'],
      [2, 'Run actions/checkout@v4', 'test', 'manifest'],
      [3, 'Run npm test', 'test', 'manifest'],
      [4, 'Complete job', 'test', 'manifest'],
    ]);
    expect(s.steps[1]!.uses).toBe('actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683');
    expect(s.steps[1]!.started_at).toBe(T('2026-10-14T09:12:05.000Z'));
    expect(s.steps[0]!.line).toBe(14);
    expect(s.steps[1]!.line).toBe(15);
    expect(s.steps[2]!.line).toBe(17);
    expect(JSON.parse(s.steps[1]!.raw)).toMatchObject({ number: 2, name: 'Run actions/checkout@v4' });
  });

  it('skips bad steps with a warning naming the line, keeps the rest', async () => {
    const doc = [
      '{"format":"ci-run-bundle","version":1,',
      ' "run":{"job":"build","started_at":"2026-10-14T09:12:03Z"},',
      ' "steps":[',
      '  {"number":1,"name":"Set up job","started_at":"2026-10-14T09:12:03Z"},',
      '  {"number":"2","name":"bad number"},',
      '  {"number":3,"name":"no zone","started_at":"2026-10-14T09:12:05"},',
      '  {"name":"no number"},',
      '  {"number":5,"name":"Complete job","extra":{"kept":true}}',
      ' ]}',
    ].join('\n');
    const s = await runImporter(bundleManifestImporter, 'manifest.json', doc);
    expect(s.steps.map((x) => x.number)).toEqual([1, 5]);
    expect(s.steps[0]!.job).toBe('build');
    expect(s.steps[1]!.raw).toContain('"kept":true');
    expect(s.warnings).toEqual([
      { line: 5, message: expect.stringMatching(/field "number" must be an integer.*step skipped/) },
      { line: 6, message: expect.stringMatching(/timestamp has no zone.*step skipped/) },
      { line: 7, message: expect.stringMatching(/missing required field "number".*step skipped/) },
    ]);
  });

  it('reports malformed JSON with its line and reads nothing', async () => {
    const s = await runImporter(bundleManifestImporter, 'manifest.json', '{\n "run": {"job": "x"},\n "steps": [1,,]\n}');
    expect(s.runs).toEqual([]);
    expect(s.warnings).toHaveLength(1);
    expect(s.warnings[0]!.line).toBe(3);
    expect(s.warnings[0]!.message).toMatch(/malformed JSON/);
  });

  it('warns about an unknown version and a bad policy but keeps reading', async () => {
    const s = await runImporter(
      bundleManifestImporter,
      'manifest.json',
      '{"format":"ci-run-bundle","version":2,"policy":{"egress_policy":"audit","allowed_endpoints":"github.com"},"run":{"job":"j"}}',
    );
    expect(s.runs).toHaveLength(1);
    expect(s.policies).toEqual([]);
    expect(s.warnings.map((w) => w.message)).toEqual([
      expect.stringMatching(/unsupported bundle version 2/),
      expect.stringMatching(/policy: field "allowed_endpoints" must be an array of strings; policy skipped/),
    ]);
  });
});

describe('network.jsonl', () => {
  it('reads the fixture: defaults, http, tool, policy, 9-digit times', async () => {
    const s = await runImporter(bundleNetworkImporter, 'network.jsonl', fixture('network.jsonl'));
    expect(s.warnings).toEqual([]);
    expect(s.nets).toHaveLength(4);
    const call = s.nets[1]!;
    expect(call.ts).toBe(1791969181700000417n);
    expect(call).toMatchObject({ line: 2, pid: 4721, domain: 'telemetry.example.net', ip: '198.51.100.23', port: 443, protocol: 'tcp', status: 'allowed' });
    expect(call.http).toEqual({ method: 'POST', host: 'telemetry.example.net', path: '/v2/collect', status_code: 202 });
    expect(call.tool?.name).toBe('curl');
    expect(s.nets[2]).toMatchObject({ domain: null, ip: '198.51.100.23', protocol: 'tcp', status: 'allowed', http: null, pid: 4721 });
    expect(s.nets[3]).toMatchObject({ status: 'blocked', policy: { matched: '*.example.org:443', reason: 'test' } });
    expect(s.nets[0]!.raw).toBe(fixture('network.jsonl').toString().split('\n')[0]);
  });

  it('skips bad records with a warning per line and keeps unknown fields in raw', async () => {
    const lines = [
      '{"ts":"2026-10-14T09:13:01Z","ip":"192.0.2.1","port":443,"future_field":{"a":1}}',
      '{"ts":"2026-10-14T09:13:01","ip":"192.0.2.1","port":443}',
      '{"ts":"2026-10-14T09:13:01Z","port":443}',
      '{"ts":"2026-10-14T09:13:01Z","ip":"192.0.2.1","port":"443"}',
      '{"ts":"2026-10-14T09:13:01Z","ip":"192.0.2.1"',
      '',
      '[1,2]',
      '{"ts":"2026-10-14T09:13:01Z","domain":"a.example","port":443,"pid":-4}',
      '{"ts":"2026-10-14T09:13:01Z","domain":"a.example","port":443,"http":{"status_code":"ok"}}',
      '{"ts":1791969181,"domain":"a.example","port":443}',
      '{"ts":"2026-10-14T09:13:02+02:00","domain":"b.example","port":80,"protocol":"udp"}',
    ];
    const s = await runImporter(bundleNetworkImporter, 'network.jsonl', lines.join('\r\n') + '\r\n');
    expect(s.nets.map((n) => n.line)).toEqual([1, 11]);
    expect(s.nets[0]!.raw).toContain('future_field');
    expect(s.nets[1]!.ts).toBe(T('2026-10-14T07:13:02Z'));
    expect(s.nets[1]!.protocol).toBe('udp');
    expect(s.warnings.map((w) => w.line)).toEqual([2, 3, 4, 5, 7, 8, 9, 10]);
    const msg = Object.fromEntries(s.warnings.map((w) => [w.line, w.message]));
    expect(msg[2]).toMatch(/no zone/);
    expect(msg[3]).toMatch(/"ip" or "domain"/);
    expect(msg[4]).toMatch(/"port" must be an integer/);
    expect(msg[5]).toMatch(/malformed JSON/);
    expect(msg[7]).toMatch(/expected a JSON object, got array/);
    expect(msg[8]).toMatch(/"pid" out of range/);
    expect(msg[9]).toMatch(/in "http": field "status_code"/);
    expect(msg[10]).toMatch(/"ts" must be an RFC 3339 string/);
    for (const m of Object.values(msg)) expect(m).toMatch(/record skipped/);
  });

  it('reports a giant line and bad UTF-8 by line number; the other lines load', async () => {
    const good = (n: number) => `{"ts":"2026-10-14T09:13:0${n}Z","ip":"192.0.2.${n}","port":443}`;
    const giant = `{"ts":"2026-10-14T09:13:01Z","ip":"192.0.2.9","port":443,"pad":"${'x'.repeat(9 * 1024 * 1024)}"}`;
    const badUtf8 = Buffer.concat([Buffer.from('{"ts":"2026-10-14T09:13:03Z","domain":"caf'), Buffer.from([0xc3, 0x28]), Buffer.from('.example","port":443}')]);
    const data = Buffer.concat([Buffer.from(good(1) + '\n' + giant + '\n'), badUtf8, Buffer.from('\n' + good(4) + '\n')]);
    const s = await runImporter(bundleNetworkImporter, 'network.jsonl', data, 1 << 20);
    expect(s.nets.map((n) => n.line)).toEqual([1, 3, 4]);
    expect(s.nets[1]!.domain).toBe('caf\uFFFD(.example');
    expect(s.warnings).toEqual([
      { line: 2, message: expect.stringMatching(/line too long/) },
      { line: 3, message: expect.stringMatching(/invalid UTF-8/) },
    ]);
  });
});

describe('dns.jsonl', () => {
  it('reads answers, type and pid; rejects a non-array answers', async () => {
    const data = fixture('dns.jsonl').toString() + '{"ts":"2026-10-14T09:13:05Z","domain":"x.example","answers":"192.0.2.1"}\n{"ts":"2026-10-14T09:13:06Z","domain":"y.example"}\n';
    const s = await runImporter(bundleDnsImporter, 'dns.jsonl', data);
    expect(s.dnss).toHaveLength(3);
    expect(s.dnss[1]).toMatchObject({ domain: 'telemetry.example.net', answers: ['198.51.100.23', '198.51.100.24'], type: 'A', pid: 4721, line: 2 });
    expect(s.dnss[2]).toMatchObject({ domain: 'y.example', answers: [], type: null, pid: null, line: 4 });
    expect(s.warnings).toEqual([{ line: 3, message: expect.stringMatching(/"answers" must be an array of strings/) }]);
  });
});

describe('processes.jsonl', () => {
  it('reads exec and exit events; bad event kinds and missing pids are skipped', async () => {
    const data =
      fixture('processes.jsonl').toString() +
      '{"ts":"2026-10-14T09:13:50Z","event":"fork","pid":9}\n{"ts":"2026-10-14T09:13:50Z","event":"exit"}\n{"ts":"2026-10-14T09:13:50Z","event":"exec","pid":9,"args":"not an array"}\n';
    const s = await runImporter(bundleProcessesImporter, 'processes.jsonl', data);
    expect(s.procs).toHaveLength(11);
    expect(s.procs.filter((p) => p.event === 'exec')).toHaveLength(6);
    expect(s.procs[7]).toMatchObject({ event: 'exec', pid: 4721, ppid: 3002, exe: '/usr/bin/curl', uid: 1001, origin: 'events' });
    expect(s.procs[7]!.args).toEqual(['curl', '-sS', '-X', 'POST', 'https://telemetry.example.net/v2/collect']);
    expect(s.procs[8]).toMatchObject({ event: 'exit', pid: 4721, exit_code: 0 });
    expect(s.warnings.map((w) => [w.line, w.message.replace(/;.*/, '')])).toEqual([
      [12, 'field "event" must be "exec" or "exit", got "fork"'],
      [13, 'missing required field "pid"'],
      [14, 'field "args" must be an array of strings'],
    ]);
  });
});

describe('process-table.csv', () => {
  it('emits exec and exit events from rows, splitting shell-quoted args (RFC 4180 quoting)', async () => {
    const s = await runImporter(bundleProcessTableImporter, 'process-table.csv', fixture('process-table.csv'));
    expect(s.warnings).toEqual([]);
    expect(s.procs.map((p) => [p.event, p.pid, p.origin])).toEqual([
      ['exec', 4721, 'table'],
      ['exit', 4721, 'table'],
      ['exec', 5000, 'table'],
      ['exit', 5000, 'table'],
    ]);
    expect(s.procs[0]!.args).toEqual(['curl', '-sS', '-X', 'POST', 'https://telemetry.example.net/v2/collect']);
    expect(s.procs[2]!.args).toEqual(['sh', '-c', 'echo "hello, world" > out.txt']);
    expect(s.procs[2]).toMatchObject({ ppid: 3001, exe: '/usr/bin/sh', cwd: '/home/runner/work/web/web', uid: 1001, line: 3 });
    expect(s.procs[3]!.ts).toBe(T('2026-10-14T09:13:46.250Z'));
  });

  it('handles multi-line quoted fields, empty end, and bad rows', async () => {
    const csv = [
      'pid,ppid,start,end,exe,args,cwd,uid',
      '10,1,2026-10-14T09:12:00Z,,/usr/bin/bash,"bash -c ""echo a',
      'echo b""",/w,1001',
      '11,10,2026-10-14T09:12:01Z,2026-10-14T09:12:02Z,/usr/bin/env,env,,',
      'x,10,2026-10-14T09:12:01Z,,/bin/true,true,/w,1',
      '12,10,2026-10-14T09:12:01,,/bin/true,true,/w,1',
      '13,10,2026-10-14T09:12:01Z,,/bin/true',
      "14,10,2026-10-14T09:12:01Z,,/bin/echo,echo 'unterminated,/w,1",
      '15,10,2026-10-14T09:12:05Z,2026-10-14T09:12:04Z,/bin/true,true,/w,1',
    ].join('\n');
    const s = await runImporter(bundleProcessTableImporter, 'process-table.csv', csv);
    const execs = s.procs.filter((p) => p.event === 'exec');
    expect(execs.map((p) => p.pid)).toEqual([10, 11, 14, 15]);
    expect(execs[0]!.args).toEqual(['bash', '-c', 'echo a\necho b']);
    expect(execs[0]!.line).toBe(2);
    expect(execs[1]).toMatchObject({ cwd: null, uid: null, args: ['env'] });
    expect(s.procs.filter((p) => p.event === 'exit').map((p) => p.pid)).toEqual([11]);
    expect(execs[2]!.args).toEqual(['echo', 'unterminated']);
    expect(s.warnings.map((w) => [w.line, w.message.replace(/;.*/, '')])).toEqual([
      [5, 'field "pid" must be a non-negative integer, got "x"'],
      [6, 'field "start": timestamp has no zone: 2026-10-14T09:12:01'],
      [7, 'row has 5 fields, header has 8'],
      [8, 'field "args": unterminated single quote at column 6'],
      [9, 'field "end" is before "start"'],
    ]);
  });

  it('refuses a header without pid/start', async () => {
    const s = await runImporter(bundleProcessTableImporter, 'process-table.csv', 'a,b\n1,2\n');
    expect(s.procs).toEqual([]);
    expect(s.warnings[0]).toEqual({ line: 1, message: expect.stringMatching(/header lacks required column\(s\) pid, start/) });
  });
});

describe('files.jsonl', () => {
  it('reads file events; missing path is skipped', async () => {
    const s = await runImporter(bundleFilesImporter, 'files.jsonl', fixture('files.jsonl').toString() + '{"ts":"2026-10-14T09:13:50Z","op":"write"}\n');
    expect(s.files).toHaveLength(2);
    expect(s.files[0]).toMatchObject({ pid: 2002, op: 'write', path: '/home/runner/work/web/web/src/index.js', exe: '/usr/bin/git' });
    expect(s.files[1]).toMatchObject({ op: 'overwrite', sha256: null });
    expect(s.warnings).toEqual([{ line: 3, message: expect.stringMatching(/missing required field "path"/) }]);
  });
});

describe('detections.json', () => {
  it('reads the array with each element’s line and raw', async () => {
    const s = await runImporter(bundleDetectionsImporter, 'detections.json', fixture('detections.json'));
    expect(s.warnings).toEqual([]);
    expect(s.dets).toHaveLength(1);
    expect(s.dets[0]).toMatchObject({ det_id: 'd1', kind: 'anomalous-endpoint', severity: 'high', endpoint: 'telemetry.example.net:443', pid: 4721, line: 2 });
    expect(s.dets[0]!.ts).toBe(1791969181700000417n);
  });

  it('skips detections without a kind or with a zone-less time', async () => {
    const doc = '[\n{"id":"a","kind":"blocked-call"},\n{"id":"b"},\n{"id":3,"kind":"x","ts":"2026-10-14T09:13:01"},\n"str"\n]';
    const s = await runImporter(bundleDetectionsImporter, 'detections.json', doc);
    expect(s.dets.map((d) => d.det_id)).toEqual(['a']);
    expect(s.warnings.map((w) => w.line)).toEqual([3, 4, 5]);
  });
});
