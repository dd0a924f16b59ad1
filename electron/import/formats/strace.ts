/**
 * strace output (`strace -f -ttt -o trace.log …` is what we ask for). Every timestamp style is read: `-t`
 * (HH:MM:SS), `-tt` (HH:MM:SS.micro), `-ttt` (epoch seconds.micro); pid prefixes `[pid N]` (stderr) and `N `
 * (`-o` with `-f`); `<unfinished ...>` / `<... NAME resumed>` pairs are joined (the call's time is its start).
 *
 *   execve / execveat (= 0)          -> ProcessEventRecord exec (ppid from the clone/fork/vfork that made the pid)
 *   clone / clone3 / fork / vfork    -> parent links (CLONE_THREAD children are threads: their calls count for the process)
 *   connect AF_INET / AF_INET6       -> NetworkRecord (status 'allowed'; 'failed' when it failed with anything but
 *                                       EINPROGRESS; 'blocked' on EACCES/EPERM)
 *   connect AF_UNIX                  -> FileEventRecord op 'connect-unix' (a local socket, not a network call)
 *   +++ exited with N +++ / +++ killed by SIG +++ -> ProcessEventRecord exit
 *
 * Time-of-day stamps take their day from `ctx.date` (`--date`); output without timestamps cannot be put on a
 * timeline and is refused with the flags to record it with.
 */
import type { Importer, InputFile } from '../types';
import type { ProcessEventRecord } from '../../../shared/model';
import type { Nanos } from '../../../shared/time';
import { readLines } from '../lines';
import { headLines, Warner } from '../kit';

const PREFIX = /^(?:\[pid\s+(\d+)\]\s+|(\d+)\s+(?=\S))?(?:(\d{1,2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?\s+|(\d{9,})(?:\.(\d{1,9}))?\s+|(\d{1,8}\.\d{1,9})\s+)?(.*)$/;
const CALL = /^([a-z_][a-z0-9_]*)\((.*)$/;
const SNIFF_BODY = /^(?:[a-z_][a-z0-9_]*\(.*(?:\)\s+=\s+(?:-?\d+|0x[0-9a-f]+|\?)|<unfinished \.\.\.>)|<\.\.\. [a-z_0-9]+ resumed>|\+\+\+ (?:exited with|killed by) |--- SIG[A-Z0-9]+ )/;

export const STRACE_NO_TIME_ERROR =
  'strace output has no timestamps, so its events cannot be placed on the timeline: record with `strace -f -ttt -o trace.log <command>` (-f follows child processes, -ttt gives epoch timestamps with microseconds)';
export const STRACE_NEEDS_DATE_ERROR =
  'strace timestamps carry only a time of day (recorded with -t/-tt): give the day they were recorded with --date YYYY-MM-DD (or record with -ttt)';

const DAY = 86_400n * 1_000_000_000n;

/** Parse a C string literal as strace prints it, starting at s[i] === '"'. Returns the value and the index after. */
function cString(s: string, i: number): { v: string; end: number } | null {
  if (s[i] !== '"') return null;
  let out = '';
  let j = i + 1;
  while (j < s.length) {
    const c = s[j]!;
    if (c === '"') {
      j++;
      if (s.startsWith('...', j)) j += 3; // truncated by -s
      return { v: out, end: j };
    }
    if (c === '\\' && j + 1 < s.length) {
      const n = s[j + 1]!;
      const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', v: '\v', f: '\f', '"': '"', '\\': '\\' };
      if (simple[n] !== undefined) {
        out += simple[n];
        j += 2;
      } else if (n === 'x' && /^[0-9a-fA-F]{2}$/.test(s.slice(j + 2, j + 4))) {
        out += String.fromCharCode(parseInt(s.slice(j + 2, j + 4), 16));
        j += 4;
      } else if (/[0-7]/.test(n)) {
        let k = j + 1;
        let oct = '';
        while (k < s.length && oct.length < 3 && /[0-7]/.test(s[k]!)) oct += s[k++];
        out += String.fromCharCode(parseInt(oct, 8));
        j = k;
      } else {
        out += n;
        j += 2;
      }
      continue;
    }
    out += c;
    j++;
  }
  return null;
}

/** `["a", "b", ...]` starting at s[i] === '['. */
function cStringArray(s: string, i: number): { v: string[]; end: number } | null {
  if (s[i] !== '[') return null;
  const out: string[] = [];
  let j = i + 1;
  while (j < s.length) {
    while (s[j] === ' ' || s[j] === ',') j++;
    if (s[j] === ']') return { v: out, end: j + 1 };
    if (s.startsWith('...', j)) {
      j += 3;
      continue;
    }
    const str = cString(s, j);
    if (!str) return out.length ? { v: out, end: j } : null;
    out.push(str.v);
    j = str.end;
  }
  return out.length ? { v: out, end: j } : null;
}

function parseRet(r: string): { n: number | null; errno: string | null } {
  const m = /^(-?\d+|0x[0-9a-f]+|\?)(?:<[^>]*>)?(?:\s+([A-Z][A-Z0-9_]+))?/.exec(r.trim());
  if (!m) return { n: null, errno: null };
  const n = m[1] === '?' ? null : m[1]!.startsWith('0x') ? parseInt(m[1]!, 16) : Number(m[1]);
  return { n, errno: m[2] ?? null };
}

type Addr = { family: 'inet' | 'inet6'; ip: string; port: number } | { family: 'unix'; path: string } | null;

function parseSockaddr(args: string): Addr {
  const fam = /sa_family=(AF_[A-Z0-9]+)/.exec(args)?.[1];
  if (fam === 'AF_INET') {
    const port = /sin_port=htons\((\d+)\)/.exec(args)?.[1];
    const ip = /sin_addr=inet_addr\("([^"]+)"\)/.exec(args)?.[1];
    return port && ip ? { family: 'inet', ip, port: Number(port) } : null;
  }
  if (fam === 'AF_INET6') {
    const port = /sin6_port=htons\((\d+)\)/.exec(args)?.[1];
    const ip = /inet_pton\(AF_INET6,\s*"([^"]+)"/.exec(args)?.[1];
    return port && ip ? { family: 'inet6', ip, port: Number(port) } : null;
  }
  if (fam === 'AF_UNIX' || fam === 'AF_LOCAL') {
    const m = /sun_path=(@?)"/.exec(args);
    if (!m) return { family: 'unix', path: '(unnamed socket)' };
    const s = cString(args, m.index + 9 + m[1]!.length);
    return { family: 'unix', path: (m[1] ?? '') + (s?.v ?? '') };
  }
  return null;
}

export const straceImporter: Importer = {
  format: 'strace',
  sniff(file: InputFile): number {
    const lines = headLines(file, 40);
    if (lines.length === 0) return 0;
    let hits = 0;
    for (const l of lines) {
      const m = PREFIX.exec(l);
      if (m && SNIFF_BODY.test(m[10]!)) hits++;
    }
    const r = hits / lines.length;
    return r >= 0.6 ? 0.9 : r >= 0.3 && hits >= 3 ? 0.6 : 0;
  },
  async read(_file, stream, sink, ctx) {
    const w = new Warner(sink);
    const tgidOf = new Map<number, number>(); // thread id -> process id
    const parentOf = new Map<number, number>(); // pid -> parent pid (from clone/fork returns)
    const pending = new Map<number, { name: string; args: string; ts: Nanos; line: number; raw: string }>();
    let dayBase: bigint | null = null;
    let lastTod: bigint | null = null;
    let sawNoPid = false;
    let sawPid = false;
    let sawTime = false;
    const execs: ProcessEventRecord[] = [];
    const tgid = (p: number) => tgidOf.get(p) ?? p;

    for await (const l of readLines(stream, { signal: ctx.signal })) {
      if (ctx.signal.aborted) break;
      if (l.tooLong) {
        w.warn(l.no, 'line too long: skipped');
        continue;
      }
      if (l.text.trim() === '') continue;
      if (l.text.startsWith('strace: ')) continue; // strace's own messages (attached, detached, …)
      const m = PREFIX.exec(l.text);
      if (!m) continue;
      const body = m[10]!;
      if (!SNIFF_BODY.test(body) && !body.startsWith('<...')) {
        if (!/^\s*$/.test(body)) w.warn(l.no, `not an strace line: ${body.slice(0, 60)}`);
        continue;
      }
      // ---- time
      let ts: Nanos;
      let pidField = m[1] ?? m[2];
      if (m[2] !== undefined && m[3] === undefined && m[7] === undefined && m[9] === undefined && m[2].length >= 9) {
        // `1700000000 execve(…)`: -ttt without fraction and no pid prefix (pids are far below 10^9)
        ts = BigInt(m[2]) * 1_000_000_000n;
        pidField = undefined;
      } else if (m[3] !== undefined) {
        if (ctx.date === null) throw new Error(STRACE_NEEDS_DATE_ERROR);
        const tod =
          (BigInt(m[3]) * 3600n + BigInt(m[4]!) * 60n + BigInt(m[5]!)) * 1_000_000_000n + BigInt((m[6] ?? '').padEnd(9, '0') || '0');
        if (dayBase === null) dayBase = ctx.date;
        if (lastTod !== null && tod + DAY / 2n < lastTod) dayBase += DAY; // passed midnight
        lastTod = tod;
        ts = dayBase + tod;
      } else if (m[7] !== undefined) {
        ts = BigInt(m[7]) * 1_000_000_000n + BigInt((m[8] ?? '').padEnd(9, '0') || '0');
      } else if (m[9] !== undefined) {
        throw new Error('strace timestamps are relative (-r): they cannot be placed on the timeline; record with `strace -f -ttt -o trace.log <command>`');
      } else if (!sawTime) {
        throw new Error(STRACE_NO_TIME_ERROR);
      } else {
        w.warn(l.no, 'line without a timestamp among timestamped lines: skipped');
        continue;
      }
      sawTime = true;
      // ---- pid
      let tid: number;
      if (pidField !== undefined) {
        tid = Number(pidField);
        sawPid = true;
      } else {
        tid = 0;
        if (!sawNoPid) sawNoPid = true;
      }
      const pid = tid === 0 ? 0 : tgid(tid);

      // ---- join unfinished / resumed
      let text = body;
      let line = l.no;
      let raw = l.text;
      if (body.endsWith('<unfinished ...>')) {
        const cm = CALL.exec(body);
        if (cm) pending.set(tid, { name: cm[1]!, args: cm[2]!.replace(/\s*<unfinished \.\.\.>$/, ''), ts, line: l.no, raw: l.text });
        continue;
      }
      const rm = /^<\.\.\. ([a-z_0-9]+) resumed>\s?(.*)$/.exec(body);
      if (rm) {
        const p = pending.get(tid);
        if (!p || p.name !== rm[1]) {
          w.warn(l.no, `${rm[1]} resumed without its start: skipped`);
          continue;
        }
        pending.delete(tid);
        text = `${p.name}(${p.args}${rm[2]}`;
        ts = p.ts;
        line = p.line;
        raw = `${p.raw}\n${l.text}`;
      }
      // ---- exits
      const ex = /^\+\+\+ (?:exited with (\d+)|killed by (SIG[A-Z0-9]+)[^+]*) \+\+\+/.exec(text);
      if (ex) {
        if (tid === 0 || tgid(tid) === tid) {
          sink.processEvent({ ts, event: 'exit', pid, exit_code: ex[1] !== undefined ? Number(ex[1]) : null, origin: 'events', line, raw });
        }
        continue;
      }
      if (text.startsWith('---')) continue; // signals
      const cm = CALL.exec(text);
      if (!cm) continue;
      const name = cm[1]!;
      const rest = cm[2]!;
      const close = rest.lastIndexOf(') = ');
      const argsText = close >= 0 ? rest.slice(0, close) : rest;
      const ret = parseRet(close >= 0 ? rest.slice(close + 4) : '?');

      switch (name) {
        case 'clone':
        case 'clone3':
        case 'fork':
        case 'vfork': {
          if (ret.n !== null && ret.n > 0) {
            if (/CLONE_THREAD/.test(argsText)) tgidOf.set(ret.n, pid || tid);
            else if (pid) parentOf.set(ret.n, pid);
          }
          break;
        }
        case 'execve':
        case 'execveat': {
          if (ret.n !== 0) break;
          let i = 0;
          if (name === 'execveat') i = argsText.indexOf('"');
          const exe = cString(argsText, i);
          const argv = exe ? cStringArray(argsText, argsText.indexOf('[', exe.end)) : null;
          // after an execve every thread but the leader is gone: the pid is the process
          // the parent's clone/fork may return after the child already ran: links are filled in at the end
          execs.push({ ts, event: 'exec', pid, ppid: null, exe: exe?.v ?? null, args: argv?.v ?? null, origin: 'events', line, raw });
          break;
        }
        case 'connect': {
          const a = parseSockaddr(argsText);
          if (!a) break;
          if (a.family === 'unix') {
            sink.fileEvent({ ts, pid: pid || null, exe: null, path: a.path, op: 'connect-unix', sha256: null, line, raw });
            break;
          }
          let status = 'allowed';
          if (ret.n !== null && ret.n < 0 && ret.errno !== 'EINPROGRESS') {
            status = ret.errno === 'EACCES' || ret.errno === 'EPERM' ? 'blocked' : 'failed';
          }
          sink.network({
            ts, pid: pid || null, process: null, domain: null, ip: a.ip, port: a.port, protocol: 'tcp', status, http: null,
            policy: status !== 'allowed' && ret.errno ? { reason: `connect: ${ret.errno}` } : null, tool: null, line, raw,
          });
          break;
        }
      }
    }
    for (const e of execs) {
      e.ppid = parentOf.get(e.pid) ?? null;
      sink.processEvent(e);
    }
    for (const [tid, p] of pending) w.warn(p.line, `${p.name} by pid ${tid} never resumed: skipped`);
    if (sawNoPid && sawPid) w.warn(null, 'some lines have no pid prefix (the first traced process): shown as pid 0');
    else if (sawNoPid) w.warn(null, 'no pid prefixes (recorded without -f): process ids are unknown, shown as pid 0 / no pid');
    w.flush();
  },
};
