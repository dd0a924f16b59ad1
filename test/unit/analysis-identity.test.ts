import { afterEach, describe, expect, it } from 'vitest';
import { at, call, callRow, exec, exit, MS, newCase, processes, resolution, source, type TestCase } from './analysis-case';

let c: TestCase;
afterEach(() => c?.close());

const eventProcs = (tc: TestCase) =>
  (tc.db.prepare('SELECT id, process_id FROM process_events ORDER BY id').all() as { id: number; process_id: number | null }[]).map(
    (r) => r.process_id,
  );

describe('process identity', () => {
  it('PID reuse: an event goes to the instance alive at its time, not the first one with that pid', () => {
    c = newCase();
    const { db } = c;
    exec(db, { ts: at(0), pid: 100, exe: '/usr/bin/bash' });
    exec(db, { ts: at(1), pid: 500, ppid: 100, exe: '/usr/bin/git', args: ['git', 'fetch'] });
    exit(db, { ts: at(2), pid: 500 });
    exec(db, { ts: at(10), pid: 500, ppid: 100, exe: '/usr/bin/curl', args: ['curl', 'https://x.example'] });
    exit(db, { ts: at(11), pid: 500 });
    const early = call(db, { ts: at(1.5), pid: 500, domain: 'github.com' });
    const late = call(db, { ts: at(10.5), pid: 500, domain: 'x.example' });
    const after = call(db, { ts: at(12), pid: 500, domain: 'late.example' }); // pid dead: no instance
    const noExit = call(db, { ts: at(20), pid: 100, domain: 'github.com' }); // bash never exits: latest start before
    resolution(db, { ts: at(10.2), domain: 'x.example', answers: ['192.0.2.10'], pid: 500 });
    c.finalize();

    const ps = processes(db);
    expect(ps).toHaveLength(3);
    const git = ps.find((p) => p.exe === '/usr/bin/git')!;
    const curl = ps.find((p) => p.exe === '/usr/bin/curl')!;
    expect(git.pid).toBe(500);
    expect(curl.pid).toBe(500);
    expect(git.id).not.toBe(curl.id);
    expect([git.start, git.end]).toEqual([at(1), at(2)]);
    expect([curl.start, curl.end]).toEqual([at(10), at(11)]);
    expect(callRow(db, early).process_id).toBe(git.id);
    expect(callRow(db, late).process_id).toBe(curl.id);
    expect(callRow(db, after).process_id).toBeNull();
    expect(callRow(db, noExit).process_id).toBe(ps.find((p) => p.pid === 100)!.id);
    expect((db.prepare('SELECT process_id FROM dns').get() as { process_id: number }).process_id).toBe(curl.id);
    // Each exec/exit event points at its own instance.
    expect(eventProcs(c)).toEqual([ps[0]!.id, git.id, git.id, curl.id, curl.id]);
    expect(git.parent_id).toBe(ps[0]!.id);
    expect(curl.parent_id).toBe(ps[0]!.id);
  });

  it('links every event to its instance whether the event ids are dense (one UPDATE) or far apart (one per event)', () => {
    for (const gap of [0, 5_000_000]) {
      c = newCase();
      const { db } = c;
      exec(db, { ts: at(0), pid: 100, exe: '/usr/bin/bash' });
      exec(db, { ts: at(1), pid: 500, ppid: 100, exe: '/usr/bin/git' });
      exit(db, { ts: at(2), pid: 500 });
      if (gap) db.prepare('UPDATE process_events SET id = id + ? WHERE id > 1').run(gap); // ids 1, gap+2, gap+3
      exec(db, { ts: at(3), pid: 500, ppid: 100, exe: '/usr/bin/curl' }); // written last, id after the others
      c.finalize();
      const ps = processes(db);
      const id = (exe: string) => ps.find((p) => p.exe === exe)!.id;
      const links = db.prepare('SELECT id, process_id FROM process_events ORDER BY id').all() as { id: number; process_id: number }[];
      expect(links.map((r) => r.id)).toEqual(gap ? [1, gap + 2, gap + 3, gap + 4] : [1, 2, 3, 4]);
      expect(links.map((r) => r.process_id)).toEqual([id('/usr/bin/bash'), id('/usr/bin/git'), id('/usr/bin/git'), id('/usr/bin/curl')]);
      c.close();
    }
  });

  it('an exec of a live pid starts a new instance whose parent is the one it replaced', () => {
    c = newCase();
    const { db } = c;
    exec(db, { ts: at(0), pid: 10, exe: '/usr/bin/bash' });
    exec(db, { ts: at(1), pid: 20, ppid: 10, exe: '/usr/bin/sh', args: ['sh', '-c', 'exec node app.js'] });
    exec(db, { ts: at(1.0002), pid: 20, ppid: 10, exe: '/usr/bin/node', args: ['node', 'app.js'] }); // same source, 0.2 ms later
    exit(db, { ts: at(5), pid: 20, exit_code: 3 });
    const during = call(db, { ts: at(3), pid: 20, domain: 'github.com' });
    c.finalize();

    const ps = processes(db);
    expect(ps.map((p) => p.exe)).toEqual(['/usr/bin/bash', '/usr/bin/sh', '/usr/bin/node']);
    const [bash, sh, node] = ps as [(typeof ps)[0], (typeof ps)[0], (typeof ps)[0]];
    expect(sh.parent_id).toBe(bash.id);
    expect(node.parent_id).toBe(sh.id);
    expect(sh.end).toBe(at(1.0002)); // replaced
    expect(sh.exit_code).toBeNull();
    expect(node.end).toBe(at(5));
    expect(node.exit_code).toBe(3);
    expect([bash.depth, sh.depth, node.depth]).toEqual([0, 1, 2]);
    expect(callRow(db, during).process_id).toBe(node.id);
    expect(c.warnings).toEqual([]);
  });

  it('merges the same instance seen by two sources when the starts are within 1 ms, keeping the richer fields', () => {
    c = newCase();
    const { db } = c;
    const ev = source(db, 'bundle/processes.jsonl');
    const tab = source(db, 'bundle/process-table.csv');
    exec(db, { ts: at(0), pid: 1, exe: '/sbin/init', source_id: ev, line: 1 });
    // process table first (0.4 ms earlier), with ms precision and no exe
    exec(db, { ts: at(4) - 400_000n, pid: 700, ppid: 1, exe: null, args: ['curl', '-sS', 'https://a.example'], cwd: '/w', origin: 'table', source_id: tab, line: 2 });
    exec(db, { ts: at(4), pid: 700, ppid: 1, exe: '/usr/bin/curl', args: ['curl'], origin: 'events', source_id: ev, line: 7 });
    exit(db, { ts: at(6), pid: 700, exit_code: 0, source_id: ev });
    exit(db, { ts: at(6) + 300_000n, pid: 700, origin: 'table', source_id: tab });
    // 2 ms apart: not the same instance
    exec(db, { ts: at(8), pid: 800, ppid: 1, exe: '/usr/bin/node', source_id: ev, line: 9 });
    exec(db, { ts: at(8) + 2n * MS, pid: 800, ppid: 1, exe: '/usr/bin/node', origin: 'table', source_id: tab, line: 3 });
    c.finalize();

    const ps = processes(db);
    const curl = ps.filter((p) => p.pid === 700);
    expect(curl).toHaveLength(1);
    const p = curl[0]!;
    expect(p.exe).toBe('/usr/bin/curl'); // from the event stream
    expect(p.start).toBe(at(4)); // the event stream's ns start
    expect(p.end).toBe(at(6));
    expect(JSON.parse(p.args!)).toEqual(['curl']); // the event stream's args beat the table's
    const cwd = (db.prepare('SELECT cwd, line, source_id FROM processes WHERE id = ?').get(p.id) as { cwd: string; line: number; source_id: number });
    expect(cwd).toEqual({ cwd: '/w', line: 7, source_id: ev }); // the gap filled from the table; provenance of the richer record
    const evIds = (db.prepare('SELECT process_id FROM process_events WHERE pid = 700').all() as { process_id: number }[]).map((r) => r.process_id);
    expect(evIds).toEqual([p.id, p.id, p.id, p.id]);
    expect(ps.filter((q) => q.pid === 800)).toHaveLength(2);
  });

  it('does not merge two execs of the same source within 1 ms (that is an exec replacing an exec)', () => {
    c = newCase();
    const { db } = c;
    exec(db, { ts: at(1), pid: 30, ppid: null, exe: '/usr/bin/env' });
    exec(db, { ts: at(1) + 100_000n, pid: 30, ppid: null, exe: '/usr/bin/python3' });
    c.finalize();
    const ps = processes(db);
    expect(ps).toHaveLength(2);
    expect(ps[1]!.parent_id).toBe(ps[0]!.id);
  });

  it('links by producer key and parent key, whatever the times', () => {
    c = newCase();
    const { db } = c;
    const a = source(db, 'tetragon.json');
    const b = source(db, 'other.jsonl');
    exec(db, { ts: at(1), pid: 40, exe: '/usr/bin/bash', key: 'k:bash', source_id: a });
    exec(db, { ts: at(2), pid: 41, ppid: 999, exe: '/usr/bin/curl', key: 'k:curl', parent_key: 'k:bash', source_id: a });
    exec(db, { ts: at(2.5), pid: 41, exe: '/usr/bin/curl', args: ['curl', '-v'], key: 'k:curl', source_id: b }); // 500 ms later, same key
    exit(db, { ts: at(3), pid: 41, key: 'k:curl', source_id: a });
    c.finalize();
    const ps = processes(db);
    expect(ps).toHaveLength(2);
    expect(ps[1]!.parent_id).toBe(ps[0]!.id);
    expect(ps[1]!.root_reason).toBeNull();
    expect(JSON.parse(ps[1]!.args!)).toEqual(['curl', '-v']);
    expect(ps[1]!.end).toBe(at(3));
    expect(c.warnings).toEqual([]);
  });

  it('turns self-parents, missing parents and cycles into roots, with a warning naming file and line', () => {
    c = newCase();
    const { db } = c;
    const src = source(db, 'bundle.zip!/processes.jsonl');
    exec(db, { ts: at(1), pid: 50, ppid: 50, exe: '/bin/self', source_id: src, line: 3 });
    exec(db, { ts: at(2), pid: 51, ppid: 4242, exe: '/bin/orphan', source_id: src, line: 4 });
    exec(db, { ts: at(3), pid: 60, ppid: 1, exe: '/bin/a', key: 'a', parent_key: 'b', source_id: src, line: 5 });
    exec(db, { ts: at(3), pid: 61, ppid: 1, exe: '/bin/b', key: 'b', parent_key: 'a', source_id: src, line: 6 });
    exec(db, { ts: at(4), pid: 62, exe: '/bin/c', parent_key: 'c', key: 'c', source_id: src, line: 7 });
    exec(db, { ts: at(5), pid: 63, ppid: 0, exe: '/bin/root' }); // genuine root: no warning
    c.finalize();

    const ps = processes(db);
    const by = (exe: string) => ps.find((p) => p.exe === exe)!;
    expect(by('/bin/self').parent_id).toBeNull();
    expect(by('/bin/self').root_reason).toMatch(/^self-parent/);
    expect(by('/bin/orphan').parent_id).toBeNull();
    expect(by('/bin/orphan').root_reason).toMatch(/^missing parent: no process with pid 4242 alive at 2026-10-14T09:12:02\.000000000Z/);
    expect(by('/bin/c').root_reason).toMatch(/^self-parent/);
    expect(by('/bin/root').root_reason).toBeNull();
    // The cycle a <-> b is broken once: exactly one of them is a root, the other its child.
    const a = by('/bin/a'), b = by('/bin/b');
    const roots = [a, b].filter((p) => p.parent_id === null);
    expect(roots).toHaveLength(1);
    expect(roots[0]!.root_reason).toMatch(/^cycle: /);
    const child = roots[0] === a ? b : a;
    expect(child.parent_id).toBe(roots[0]!.id);
    expect(child.depth).toBe(1);

    const files = new Set(c.warnings.map((w) => w.file));
    expect(files).toEqual(new Set(['bundle.zip!/processes.jsonl']));
    const lines = c.warnings.map((w) => w.line!).sort((x, y) => x - y);
    const cycleLine = roots[0] === a ? 5 : 6;
    expect(lines).toEqual([3, 4, cycleLine, 7].sort((x, y) => x - y));
    expect(c.warnings).toHaveLength(4);
    expect(c.warnings.some((w) => /cycle/.test(w.message))).toBe(true);
    expect(c.warnings.find((w) => w.line === 4)!.message).toMatch(/pid 51 \(\/bin\/orphan\).*missing parent.*4242/);
  });

  it('keeps an exit with no exec as an instance with an unknown start', () => {
    c = newCase();
    const { db } = c;
    exit(db, { ts: at(5), pid: 70, exit_code: 1 });
    exec(db, { ts: at(6), pid: 70, exe: '/usr/bin/true' });
    const before = call(db, { ts: at(4), pid: 70, domain: 'github.com' });
    const afterwards = call(db, { ts: at(7), pid: 70, domain: 'github.com' });
    c.finalize();
    const ps = processes(db);
    expect(ps).toHaveLength(2);
    expect(ps[0]!.start).toBeNull();
    expect(ps[0]!.end).toBe(at(5));
    expect(callRow(db, before).process_id).toBe(ps[0]!.id);
    expect(callRow(db, afterwards).process_id).toBe(ps[1]!.id);
  });

  it('finds the parent alive at the exec when the parent pid was reused', () => {
    c = newCase();
    const { db } = c;
    exec(db, { ts: at(1), pid: 90, exe: '/usr/bin/old-parent' });
    exit(db, { ts: at(2), pid: 90 });
    exec(db, { ts: at(3), pid: 90, exe: '/usr/bin/new-parent' });
    exec(db, { ts: at(4), pid: 91, ppid: 90, exe: '/usr/bin/child' });
    c.finalize();
    const ps = processes(db);
    expect(ps.find((p) => p.exe === '/usr/bin/child')!.parent_id).toBe(ps.find((p) => p.exe === '/usr/bin/new-parent')!.id);
  });
});
