import { describe, expect, it } from 'vitest';
import { STRACE_NEEDS_DATE_ERROR, straceImporter } from '../../electron/import/formats/strace';
import { parseRfc3339 } from '../../shared/time';
import { fixture, inputFromPath, runImporter } from './formats-harness';

const DAY = parseRfc3339('2026-06-17T00:00:00Z');

describe('strace importer', () => {
  it('the real sample (no -f, no timestamps) is recognised but refused, naming the flags to record with', async () => {
    const f = fixture('strace', 'demurgos-git2-segfault_strace.log');
    expect(straceImporter.sniff(inputFromPath(f))).toBeGreaterThanOrEqual(0.9);
    await expect(runImporter(straceImporter, f)).rejects.toThrow(/no timestamps.*strace -f -ttt -o/);
  });

  it('-f -ttt -o output: execs with parent links, threads, unfinished/resumed, connect results, exits', async () => {
    const out = await runImporter(straceImporter, fixture('strace', 'ci-f-ttt.log'));
    expect(out.proc.filter((p) => p.event === 'exec').map((p) => [p.pid, p.ppid, p.exe, p.args])).toEqual([
      [2300, null, '/usr/bin/bash', ['bash', '-e', '/home/runner/work/_temp/4d1c.sh']],
      [2460, 2300, '/usr/bin/curl', ['curl', '-sS', '-H', 'X-Note: a "quoted" value', 'https://registry.example.com/v1']],
    ]);
    expect(out.proc.find((p) => p.pid === 2460 && p.event === 'exec')!.ts).toBe(1781685644001002000n);
    // thread 2461's connect counts for process 2460; the unfinished connect keeps its start time and line
    expect(out.net.map((n) => [n.pid, n.ip, n.port, n.status, n.line])).toEqual([
      [2460, '2001:db8::10', 443, 'allowed', 6],
      [2460, '203.0.113.10', 443, 'failed', 7],
      [2460, '198.51.100.23', 8443, 'allowed', 11],
    ]);
    expect(out.net[1]!.ts).toBe(1781685644310000000n);
    expect(out.net[1]!.policy).toEqual({ reason: 'connect: ECONNREFUSED' });
    expect(out.net[1]!.raw).toContain('<... connect resumed>');
    // AF_UNIX: a local socket, kept with the process as a file event, not a network call
    expect(out.files).toEqual([expect.objectContaining({ pid: 2460, op: 'connect-unix', path: '/var/run/nscd/socket' })]);
    // exits of processes only (the thread's exit is not a process exit)
    expect(out.proc.filter((p) => p.event === 'exit').map((p) => [p.pid, p.exit_code])).toEqual([[2460, 7], [2300, 0]]);
    // a resumed call whose start was never seen is reported with its line
    expect(out.warnings).toEqual([{ line: 12, message: expect.stringContaining('read resumed without its start') }]);
  });

  it('-tt time-of-day output needs --date, and rolls over midnight', async () => {
    const f = fixture('strace', 'ci-stderr-tt.log');
    expect(straceImporter.sniff(inputFromPath(f))).toBeGreaterThan(0);
    await expect(runImporter(straceImporter, f)).rejects.toThrow(STRACE_NEEDS_DATE_ERROR);
    const out = await runImporter(straceImporter, f, { date: DAY });
    expect(out.net).toEqual([expect.objectContaining({ pid: 2460, ip: '203.0.113.10', port: 443 })]);
    expect(out.net[0]!.ts).toBe(parseRfc3339('2026-06-18T00:00:00.25Z'));
    const curl = out.proc.find((p) => p.exe === '/usr/bin/curl')!;
    expect(curl.ts).toBe(parseRfc3339('2026-06-17T23:59:59.3Z'));
    // the first process had no pid prefix: pid 0, with a warning saying so
    expect(out.proc.find((p) => p.exe === '/usr/bin/sh')!.pid).toBe(0);
    expect(out.warnings.some((w) => /no pid prefix/.test(w.message))).toBe(true);
  });

  it('-t output (seconds) with a blocked connect', async () => {
    const out = await runImporter(straceImporter, fixture('strace', 'ci-t.log'), { date: DAY });
    expect(out.net).toEqual([expect.objectContaining({ ip: '192.0.2.80', port: 80, status: 'blocked', ts: parseRfc3339('2026-06-17T08:40:44Z') })]);
    expect(out.proc.map((p) => [p.event, p.pid])).toEqual([['exit', 2460], ['exec', 2460]]);
  });
});
