/**
 * The real samples through the whole import (container -> registry -> importer -> writer -> analysis) into real
 * case files: what lands in the database, and what the user is told about files that are refused or unknown.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runImport } from '../../electron/import/run-import';
import { ImportError } from '../../electron/import/types';

const F = (...p: string[]) => path.join('test', 'fixtures', 'formats', ...p);
const dir = mkdtempSync(path.join(tmpdir(), 'runlens-samples-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const casePath = () => path.join(dir, `case-${++n}.runlens`);

describe('real samples imported into case files', () => {
  it('Tetragon book samples: nc and cat under sh by exec_id, the connect on nc, the read on cat', async () => {
    const inputs = ['exec', 'connect', 'close', 'exit'].map((e) => F('tetragon', `book_nc_process_${e}.json`)).concat(F('tetragon', 'book_cat_process_kprobe.json'));
    const s = await runImport({ inputs, casePath: casePath() });
    const db = new Database(s.case, { readonly: true });
    try {
      const procs = db.prepare('SELECT p.pid, p.exe, p.key, q.pid AS parent FROM processes p LEFT JOIN processes q ON q.id = p.parent_id ORDER BY p.pid').all() as
        { pid: number; exe: string; key: string; parent: number | null }[];
      expect(procs.map((p) => [p.pid, p.exe, p.parent])).toEqual([
        [38312, '/usr/bin/sh', null],
        [38313, '/usr/bin/cat', 38312],
        [38314, '/usr/bin/nc', 38312],
      ]);
      const call = db.prepare('SELECT n.ip, n.port, p.pid FROM network n JOIN processes p ON p.id = n.process_id').all();
      expect(call).toEqual([{ ip: '64.225.45.153', port: 443, pid: 38314 }]);
      const file = db.prepare('SELECT f.op, f.path, p.pid FROM file_events f JOIN processes p ON p.id = f.process_id').all();
      expect(file).toEqual([{ op: 'read', path: 'usr/share/elasticsearch/config/elasticsearch.keystore', pid: 38313 }]);
      const nc = db.prepare('SELECT end, exit_code FROM processes WHERE pid = 38314').safeIntegers(true).get() as { end: bigint; exit_code: bigint };
      expect(nc.exit_code).toBe(0n);
      expect(nc.end).toBe(1643738517725000000n);
    } finally {
      db.close();
    }
  });

  it('auditd + Falco + Tracee side by side in one case', async () => {
    const s = await runImport({
      inputs: [F('auditd', 'go-libaudit_testdata_normal.log'), F('falco', 'elastic-integrations_test-nopreserve.log'), F('tracee', 'EXTRACTED_forensics_legacy-trace-event.jsonl')],
      casePath: casePath(),
    });
    const db = new Database(s.case, { readonly: true });
    try {
      const formats = (db.prepare('SELECT format FROM sources ORDER BY id').all() as { format: string }[]).map((r) => r.format);
      expect(formats).toEqual(['auditd', 'falco', 'tracee']);
      expect(s.counts).toMatchObject({ network: 1, processes: 2, files: 1 + 2 + 1 });
      const det = db.prepare('SELECT kind, severity FROM detections ORDER BY id').all();
      expect(det).toEqual([
        { kind: 'falco:Read sensitive file untrusted', severity: 'medium' },
        { kind: 'falco:System user interactive', severity: 'info' },
        { kind: 'falco:Read sensitive file untrusted', severity: 'medium' },
      ]);
    } finally {
      db.close();
    }
  });

  it('the strace sample is refused with the flags to record with; the cgroup listing is not recognised', async () => {
    const s = await runImport({
      inputs: [F('strace', 'demurgos-git2-segfault_strace.log'), F('harden-runner', 'step-security-agent_cgroup-docker.txt'), F('bullfrog', 'connections.log')],
      casePath: casePath(),
    });
    const msgs = s.warnings.map((w) => `${w.file ? path.basename(w.file) : ''}:${w.line ?? ''} ${w.message}`);
    expect(msgs).toContainEqual(expect.stringMatching(/^demurgos-git2-segfault_strace\.log: .*no timestamps.*strace -f -ttt -o/));
    expect(msgs).toContainEqual(expect.stringMatching(/^step-security-agent_cgroup-docker\.txt: not recognised/));
    expect(msgs).toContainEqual(expect.stringMatching(/^connections\.log:6 .*dstPort/));
    expect(s.counts.network).toBe(3);
    await expect(runImport({ inputs: [F('harden-runner', 'step-security-agent_cgroup-docker.txt')], casePath: casePath() })).rejects.toThrow(ImportError);
  });
});
