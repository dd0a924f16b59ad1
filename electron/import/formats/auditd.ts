/**
 * Linux auditd raw logs (`/var/log/audit/audit.log`, `ausearch --raw`), plain or ENRICHED (`log_format = ENRICHED`:
 * the interpreted fields follow a `\x1d` separator). Records of one event share `msg=audit(SEC.MS:SERIAL)`; they are
 * joined by (node, time, serial) even when interleaved or when `EOE` is missing. The join buffer is bounded: an
 * event is complete at its EOE, when more than MAX_OPEN events are open (oldest first), when LINGER_LINES lines have
 * passed since its last record, or at the end of the file; completed events are emitted in serial order per flush.
 *
 *   SYSCALL execve/execveat (success=yes) + EXECVE (argc, a0… quoted or hex; a1[0]… pieces) + CWD + PROCTITLE
 *                                  -> ProcessEventRecord exec (pid, ppid, exe, args, cwd, uid)
 *   SYSCALL connect + SOCKADDR inet/inet6 -> NetworkRecord (status 'allowed', or 'failed' when the connect failed
 *                                  with anything but EINPROGRESS, 'blocked' for EACCES/EPERM)
 *   SYSCALL connect + SOCKADDR unix -> FileEventRecord op 'connect-unix' (a local socket, not a network call)
 *   SYSCALL clone/clone3/fork/vfork (success, exit = the child's pid; a clone with CLONE_THREAD in a0 is a thread)
 *                                  -> ProcessEventRecord exec of the CHILD (ppid = the caller, the caller's exe): the
 *                                  child linked to its parent even when it never execs itself
 *   clone3 passes its flags in a struct (a0 is its address): the record cannot say whether the child is a thread
 *   (glibc 2.34+ creates every pthread with clone3). Audit records carry the thread group's id as `pid=`, so a
 *   thread's id never appears as one: a clone3 child is taken as a process only when some record of the file has it
 *   as `pid=` or `ppid=`; the others are skipped at the end, with that reason.
 * Other events are read (and checked) but not stored.
 */
import type { ProcessEventRecord } from '../../../shared/model';
import type { Importer, InputFile, RecordSink } from '../types';
import { readLines } from '../lines';
import { headText, Warner } from '../kit';
import { noteLines, noteStored, recordsSoFar } from '../accounting';

const HEAD = /^(?:node=(\S+) )?type=([A-Za-z0-9_]+) msg=audit\((\d+)\.(\d{1,9}):(\d+)\):\s?(.*)$/;

const MAX_OPEN = 512;
const USED = new Set(['SYSCALL', 'EXECVE', 'CWD', 'SOCKADDR', 'PROCTITLE']);
const EMPTY: ReadonlyMap<string, string> = new Map();
const LINGER_LINES = 4096;

interface Rec {
  type: string;
  line: number;
  text: string;
  fields: ReadonlyMap<string, string>;
  quoted: ReadonlySet<string>;
  enriched: ReadonlyMap<string, string>;
}

interface Event {
  key: string;
  node: string | null;
  sec: string;
  frac: string;
  serial: number;
  recs: Rec[];
  lastLine: number;
}

/** `key=value` pairs; values are "quoted", 'quoted', or bare. Records which were double-quoted (not hex). */
function parseFields(s: string): { fields: Map<string, string>; quoted: Set<string> } {
  const fields = new Map<string, string>();
  const quoted = new Set<string>();
  const re = /([A-Za-z0-9_[\]-]+)=("([^"]*)"|'([^']*)'|(\S*))/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(s))) {
    const k = m[1]!;
    if (fields.has(k)) continue;
    if (m[3] !== undefined) {
      fields.set(k, m[3]);
      quoted.add(k);
    } else fields.set(k, m[4] ?? m[5] ?? '');
  }
  return { fields, quoted };
}

function hexDecode(h: string): Buffer | null {
  if (h.length % 2 !== 0 || !/^[0-9A-Fa-f]*$/.test(h)) return null;
  return Buffer.from(h, 'hex');
}

/** A value auditd may have hex-encoded (it does when the string has spaces, quotes or control characters). */
function auditString(rec: Rec, k: string): string | null {
  const v = rec.fields.get(k);
  if (v === undefined || v === '(null)' || v === '(none)') return null;
  if (rec.quoted.has(k)) return v;
  const b = hexDecode(v);
  return b ? b.toString('utf8') : v;
}

// syscall numbers per audit arch
const SYSCALLS: Record<string, Record<string, string>> = {
  c000003e: { '59': 'execve', '322': 'execveat', '42': 'connect', '56': 'clone', '57': 'fork', '58': 'vfork', '435': 'clone3' }, // x86_64
  c00000b7: { '221': 'execve', '281': 'execveat', '203': 'connect', '220': 'clone', '435': 'clone3' }, // aarch64
  '40000003': { '11': 'execve', '358': 'execveat', '362': 'connect', '120': 'clone', '2': 'fork', '190': 'vfork', '435': 'clone3' }, // i386
  '40000028': { '11': 'execve', '387': 'execveat', '283': 'connect', '120': 'clone', '2': 'fork', '190': 'vfork', '435': 'clone3' }, // arm
};

function syscallName(rec: Rec): string | null {
  const e = rec.enriched.get('SYSCALL');
  if (e) return e;
  const n = rec.fields.get('syscall');
  if (!n) return null;
  if (!/^\d+$/.test(n)) return n;
  return SYSCALLS[(rec.fields.get('arch') ?? '').toLowerCase()]?.[n] ?? null;
}

type Sock = { family: 'inet' | 'inet6'; ip: string; port: number } | { family: 'unix'; path: string } | { family: 'other'; n: number };

export function decodeSockaddr(hex: string): Sock | null {
  const b = hexDecode(hex);
  if (!b || b.length < 2) return null;
  const fam = b.readUInt16LE(0);
  if (fam === 2 && b.length >= 8) return { family: 'inet', port: b.readUInt16BE(2), ip: `${b[4]}.${b[5]}.${b[6]}.${b[7]}` };
  if (fam === 10 && b.length >= 24) {
    const groups: string[] = [];
    for (let i = 0; i < 8; i++) groups.push(b.readUInt16BE(8 + i * 2).toString(16));
    return { family: 'inet6', port: b.readUInt16BE(2), ip: compressV6(groups) };
  }
  if (fam === 1) {
    const rest = b.subarray(2);
    if (rest.length > 0 && rest[0] === 0) {
      const end = rest.indexOf(0, 1);
      return { family: 'unix', path: '@' + rest.subarray(1, end === -1 ? rest.length : end).toString('utf8') };
    }
    const end = rest.indexOf(0);
    return { family: 'unix', path: rest.subarray(0, end === -1 ? rest.length : end).toString('utf8') };
  }
  return { family: 'other', n: fam };
}

function compressV6(g: string[]): string {
  // longest run of zero groups (length >= 2) becomes '::'
  let best = -1, bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (g[i] !== '0') { i++; continue; }
    let j = i;
    while (j < 8 && g[j] === '0') j++;
    if (j - i > bestLen && j - i >= 2) { best = i; bestLen = j - i; }
    i = j;
  }
  if (best < 0) return g.join(':');
  return `${g.slice(0, best).join(':')}::${g.slice(best + bestLen).join(':')}`;
}

const ERRNO: Record<string, string> = {
  '-1': 'EPERM', '-2': 'ENOENT', '-13': 'EACCES', '-101': 'ENETUNREACH', '-110': 'ETIMEDOUT', '-111': 'ECONNREFUSED',
  '-113': 'EHOSTUNREACH', '-115': 'EINPROGRESS',
};

function execArgs(ev: Event): string[] | null {
  const ex = ev.recs.find((r) => r.type === 'EXECVE');
  if (ex) {
    const argc = Number(ex.fields.get('argc') ?? NaN);
    const out: string[] = [];
    const n = Number.isFinite(argc) ? argc : 1 << 16;
    for (let i = 0; i < n; i++) {
      const k = `a${i}`;
      if (ex.fields.has(k)) {
        out.push(auditString(ex, k) ?? '');
        continue;
      }
      // long arguments are split: a1_len=N a1[0]=… a1[1]=…
      if (ex.fields.has(`${k}[0]`)) {
        let s = '';
        for (let j = 0; ex.fields.has(`${k}[${j}]`); j++) s += auditString(ex, `${k}[${j}]`) ?? '';
        out.push(s);
        continue;
      }
      if (!Number.isFinite(argc)) break;
      out.push('');
    }
    if (out.length) return out;
  }
  const pt = ev.recs.find((r) => r.type === 'PROCTITLE');
  if (pt) {
    const v = pt.fields.get('proctitle');
    if (v !== undefined) {
      if (pt.quoted.has('proctitle')) return [v];
      const b = hexDecode(v);
      if (b) return b.toString('utf8').split('\0').filter((s, i, a) => s !== '' || i < a.length - 1);
    }
  }
  return null;
}

const FORKS = new Set(['clone', 'clone3', 'fork', 'vfork']);
const CLONE_THREAD = 0x10000;

/** clone3 children waiting for the end of the file (see the header), and every pid/ppid the file's records name. */
interface Clone3State {
  seen: Set<number>;
  pending: { rec: ProcessEventRecord; lines: number[] }[];
}

/** Emits the event's record; 'deferred' for a clone3, whose child is decided after the file's last event. */
function emitEvent(ev: Event, sink: RecordSink, w: Warner, c3: Clone3State): 'deferred' | void {
  ev.recs.sort((a, b) => a.line - b.line);
  const sc = ev.recs.find((r) => r.type === 'SYSCALL');
  if (!sc) return;
  for (const f of ['pid', 'ppid']) {
    const v = sc.fields.get(f);
    if (v !== undefined && /^\d{1,10}$/.test(v)) c3.seen.add(Number(v));
  }
  const name = syscallName(sc);
  if (name !== 'execve' && name !== 'execveat' && name !== 'connect' && !FORKS.has(name ?? '')) return;
  const ts = BigInt(ev.sec) * 1_000_000_000n + BigInt(ev.frac.padEnd(9, '0'));
  const pid = Number(sc.fields.get('pid'));
  if (!Number.isFinite(pid)) return w.warn(sc.line, `audit event ${ev.serial}: SYSCALL without pid: skipped`);
  const ppid = sc.fields.has('ppid') ? Number(sc.fields.get('ppid')) : null;
  const exe = auditString(sc, 'exe');
  const comm = auditString(sc, 'comm');
  const uidS = sc.fields.get('uid');
  const uid = uidS !== undefined && /^\d+$/.test(uidS) ? Number(uidS) : null;
  const success = sc.fields.get('success');
  const exit = sc.fields.get('exit') ?? '';
  const line = sc.line;
  const raw = ev.recs.map((r) => r.text).join('\n');
  const cwdRec = ev.recs.find((r) => r.type === 'CWD');
  const cwd = cwdRec ? auditString(cwdRec, 'cwd') : null;
  if (name === 'execve' || name === 'execveat') {
    if (success === 'no') return;
    sink.processEvent({ ts, event: 'exec', pid, ppid, exe, args: execArgs(ev), cwd, uid, origin: 'events', line, raw });
    return;
  }
  if (FORKS.has(name!)) {
    // fork/vfork/clone (not a thread): the child, running the parent's image until it execs, linked to its parent;
    // a later exec of the child replaces this instance (process identity), so fork-then-exec chains stay whole
    const child = Number(exit);
    if (success === 'no' || !Number.isInteger(child) || child <= 0) return;
    const flags = name === 'clone' ? Number.parseInt(sc.fields.get('a0') ?? '0', 16) : 0;
    if (Number.isFinite(flags) && (flags & CLONE_THREAD) !== 0) return;
    const rec: ProcessEventRecord = { ts, event: 'exec', pid: child, ppid: pid, exe, args: null, cwd, uid, origin: 'events', line, raw };
    if (name === 'clone3') {
      c3.pending.push({ rec, lines: ev.recs.map((r) => r.line) });
      return 'deferred';
    }
    sink.processEvent(rec);
    return;
  }
  const sa = ev.recs.find((r) => r.type === 'SOCKADDR');
  const saddr = sa?.fields.get('saddr');
  if (!saddr) return;
  const sock = decodeSockaddr(saddr);
  if (!sock) return w.warn(sa!.line, `audit event ${ev.serial}: SOCKADDR saddr is not hex: skipped`);
  if (sock.family === 'unix') {
    sink.fileEvent({ ts, pid, exe, path: sock.path || '(unnamed socket)', op: 'connect-unix', sha256: null, line, raw });
    return;
  }
  if (sock.family === 'other') return;
  let status = 'allowed';
  if (success === 'no' && exit !== '-115') status = exit === '-13' || exit === '-1' ? 'blocked' : 'failed';
  sink.network({
    ts, pid, process: comm, domain: null, ip: sock.ip, port: sock.port, protocol: 'tcp', status, http: null,
    policy: status !== 'allowed' && ERRNO[exit] ? { reason: `connect: ${ERRNO[exit]} (${exit})` } : null, tool: null, exe, line, raw,
  });
}

export const auditdImporter: Importer = {
  format: 'auditd',
  sniff(file: InputFile): number {
    // the first 20 record lines of the head, past any leading comments and blank lines
    const all = headText(file).split('\n');
    if (file.head.length < file.bytes && all.length > 1) all.pop();
    const lines = all
      .map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l))
      .filter((l) => l.trim() !== '' && !l.trimStart().startsWith('#'))
      .slice(0, 20);
    if (lines.length === 0) return 0;
    const hits = lines.filter((l) => HEAD.test(l)).length;
    if (hits === 0) return 0;
    return hits / lines.length >= 0.6 ? 0.95 : 0.5;
  },
  async read(_file, stream, sink, ctx) {
    const w = new Warner(sink);
    const open = new Map<string, Event>();
    let lineNo = 0;
    let bad = 0;
    let good = 0;

    const c3: Clone3State = { seen: new Set(), pending: [] };
    const flush = (events: Event[]) => {
      events.sort((a, b) => (a.sec === b.sec ? a.serial - b.serial : Number(a.sec) - Number(b.sec)));
      for (const e of events) {
        open.delete(e.key);
        const before = recordsSoFar();
        if (emitEvent(e, sink, w, c3) === 'deferred') continue; // accounted at the end
        // the event's other records went into the stored record's raw text: stored; an event not used: skipped
        if (recordsSoFar() > before) noteStored(e.recs.map((r) => r.line));
        else for (const r of e.recs) noteLines(r.line, r.line, `audit event not used (${[...new Set(e.recs.map((x) => x.type))].join(', ')})`);
      }
    };

    for await (const l of readLines(stream, { signal: ctx.signal })) {
      if (ctx.signal.aborted) break;
      lineNo = l.no;
      if (l.tooLong) {
        w.warn(l.no, 'line too long: skipped');
        continue;
      }
      if (l.text.trim() === '') continue;
      if (l.text.trimStart().startsWith('#')) {
        noteLines(l.no, l.no, 'comment');
        continue;
      }
      const [main, enr] = l.text.split('\x1d', 2) as [string, string | undefined];
      const m = HEAD.exec(main!);
      if (!m) {
        bad++;
        w.warn(l.no, `not an audit record: ${l.text.slice(0, 60)}`);
        continue;
      }
      good++;
      if (l.badUtf8) w.warn(l.no, 'invalid UTF-8 bytes replaced with U+FFFD');
      const [, node, type, sec, frac, serialS, body] = m;
      const key = `${node ?? ''}|${sec}.${frac}|${serialS}`;
      const serial = Number(serialS);
      if (type === 'EOE') {
        const ev = open.get(key);
        if (ev) {
          const before = recordsSoFar();
          const deferred = c3.pending.length;
          flush([ev]);
          if (c3.pending.length > deferred) c3.pending[c3.pending.length - 1]!.lines.push(l.no); // decided at the end
          else if (recordsSoFar() > before) noteStored([l.no]);
          else noteLines(l.no, l.no, 'end of an audit event not used');
        } else noteLines(l.no, l.no, 'end of an audit event already closed');
        continue;
      }
      // only the record types used below are split into fields (PATH, USER_*, … are kept as raw text)
      const used = USED.has(type!);
      const { fields, quoted } = used ? parseFields(body!) : { fields: EMPTY, quoted: new Set<string>() };
      const enriched = used && enr ? parseFields(enr).fields : EMPTY;
      let ev = open.get(key);
      if (!ev) {
        ev = { key, node: node ?? null, sec: sec!, frac: frac!, serial, recs: [], lastLine: l.no };
        open.set(key, ev);
      }
      ev.recs.push({ type: type!, line: l.no, text: l.text, fields, quoted, enriched });
      ev.lastLine = l.no;
      // bounded buffer: evict by age (lines since last record) and by count
      if ((l.no & 255) === 0) {
        const stale = [...open.values()].filter((e) => l.no - e.lastLine > LINGER_LINES);
        if (stale.length) flush(stale);
      }
      if (open.size > MAX_OPEN) {
        // oldest first: a Map iterates in insertion order, i.e. by each event's first record
        const oldest: Event[] = [];
        for (const e of open.values()) {
          if (open.size - oldest.length <= MAX_OPEN - 64) break;
          oldest.push(e);
        }
        flush(oldest);
      }
    }
    flush([...open.values()]);
    for (const p of c3.pending) {
      if (c3.seen.has(p.rec.pid)) {
        sink.processEvent(p.rec);
        noteStored(p.lines);
      } else {
        for (const l of p.lines) noteLines(l, l, 'clone3 child never seen as a process (a thread, or no audited call of its own)');
      }
    }
    if (good === 0 && bad > 0) throw new Error(`no audit records found in ${lineNo} lines`);
    w.flush();
  },
};
