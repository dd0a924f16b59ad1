/**
 * The second field test of issue 10, telemetry: real agent output from public repositories the project had never
 * seen (test/fixtures/SOURCES.md, "Field test, second round"), checked against what the file says. Every figure
 * asserted here was read off the file by hand (python `json.loads` per line), not off Runlens.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { openCase } from '../../electron/cli/case-arg';
import { runImport } from '../../electron/import/run-import';
import { sha256File, tempDir } from './import-helpers';

const NEXUS = fileURLToPath(new URL('../fixtures/formats/tetragon/nexus-cyber_export_excerpt.jsonl', import.meta.url));

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

describe('Tetragon, a generic syscall policy (nexus-cyber export: openat string_arg, connect sockaddr_arg)', () => {
  it('stores the 4 connects as calls and the 188 absolute-path opens as file events; the 8 relative ones are counted', async () => {
    const dir = tempDir('rl-fieldtest-tetragon-');
    dirs.push(dir);
    const casePath = path.join(dir, 'case.runlens');
    const before = sha256File(NEXUS);
    const summary = await runImport({ inputs: [NEXUS], casePath });
    expect(sha256File(NEXUS)).toBe(before);
    const [f] = summary.files!;
    expect(f!.format).toBe('tetragon');
    expect([f!.lines, f!.lines_stored + f!.lines_skipped]).toEqual([210, 210]);
    const db = openCase(casePath);
    try {
      const calls = db
        .prepare(`SELECT line, pid, process_name, ip, port, protocol, status, policy_matched FROM network ORDER BY line`)
        .raw(true)
        .all();
      expect(calls).toEqual([
        [5, 79254, 'antigravity', '2001:4860:4860::8888', 443, '', 'allowed', 'monitor-syscalls'],
        [6, 79254, 'antigravity', '127.0.0.1', 443, '', 'allowed', 'monitor-syscalls'],
        [8, 79254, 'antigravity', '127.0.0.1', 443, '', 'allowed', 'monitor-syscalls'],
        [51, 79652, 'language_server_linux_x64', '127.0.0.1', 44895, '', 'allowed', 'monitor-syscalls'],
      ]);
      const ops = Object.fromEntries(
        (db.prepare(`SELECT op, count(*) AS n FROM file_events GROUP BY op`).all() as { op: string; n: number }[]).map((r) => [r.op, r.n]),
      );
      // flags 524288 / 0 / 591872 open read-only; 194 and 524482 are O_RDWR|O_CREAT|O_EXCL
      expect(ops).toEqual({ read: 181, write: 7 });
      const relative = summary.warnings.filter((w) => /relative path/.test(w.message)).map((w) => w.message);
      expect(relative).toEqual(['8 Tetragon process_kprobe __x64_sys_openat with a relative path event(s) carry nothing this case stores: not imported']);
      // the four process_exec events (lines 170, 181, 193, 205), each with its binary
      const execs = db
        .prepare(`SELECT pid, exe FROM process_events WHERE event = 'exec' AND line IN (170, 181, 193, 205) ORDER BY line`)
        .raw(true)
        .all();
      expect(execs).toEqual([
        [122046, '/usr/bin/sed'],
        [122048, '/usr/bin/git'],
        [122049, '/usr/bin/git'],
        [122050, '/usr/bin/git'],
      ]);
    } finally {
      db.close();
    }
  });
});
