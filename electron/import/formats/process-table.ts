/**
 * Process tables other than the bundle's own `process-table.csv`: a CSV with a header (aliases such as
 * `PID,PPID,STARTED,COMMAND`, `pid,ppid,start_time,end_time,cmdline`), `ps` output with a header
 * (`ps -eo pid,ppid,lstart,etime,args`: whitespace columns, `lstart` is five words, the last column is the rest of
 * the line), or JSON lines with `pid`, `ppid`, `start`/`start_time`/`started`, `end`, `exe`, `args`/`command`.
 *
 * Each row is one process instance: an exec at `start` and, when the row has one, an exit at `end` (origin
 * 'table'). Times are RFC 3339, epoch numbers (s/ms/µs/ns by size), or `ps` lstart (`Wed Jun 17 08:40:01 2026`,
 * which has no zone: read as UTC, with one warning). A row without a usable start cannot be placed: warning, skipped.
 * The bundle's exact header `pid,ppid,start,end,exe,args,cwd,uid` is left to the bundle importer (sniff 0.05).
 */
import type { Importer, InputFile, RecordSink } from '../types';
import { formatNanos, type Nanos } from '../../../shared/time';
import { readLines } from '../lines';
import { anyTime, asInt, asStr, exactIntField, headLines, isObj, splitCommandLine, Warner } from '../kit';
import { csvFields } from '../bundle/csv';
import { noteLines } from '../accounting';

type Col = 'pid' | 'ppid' | 'start' | 'end' | 'exe' | 'args' | 'cwd' | 'uid' | 'exit_code' | 'etime' | 'stime' | 'other';

const ALIASES: Record<string, Col> = {
  pid: 'pid', process_id: 'pid', processid: 'pid',
  ppid: 'ppid', parent_pid: 'ppid', parentpid: 'ppid', parent: 'ppid', parent_process_id: 'ppid',
  start: 'start', started: 'start', start_time: 'start', starttime: 'start', lstart: 'start', started_at: 'start',
  end: 'end', ended: 'end', end_time: 'end', endtime: 'end', exited_at: 'end', ended_at: 'end', exit_time: 'end', stop: 'end',
  exe: 'exe', executable: 'exe', path: 'exe', binary: 'exe', image: 'exe',
  args: 'args', command: 'args', cmd: 'args', cmdline: 'args', command_line: 'args', commandline: 'args', argv: 'args',
  cwd: 'cwd', uid: 'uid', user_id: 'uid',
  exit_code: 'exit_code', exitcode: 'exit_code',
  etime: 'etime', elapsed: 'etime',
  // `ps -ef` STIME, `ps aux` START: a time of day (`14:05`), a day (`Aug08`) or a year (`2025`)
  stime: 'stime',
};

const BUNDLE_HEADER = 'pid,ppid,start,end,exe,args,cwd,uid';

function colOf(h: string): Col {
  return ALIASES[h.trim().toLowerCase().replace(/[\s-]+/g, '_')] ?? 'other';
}

/** CSV fields of one line: the one CSV parser (csv-parse, bundle/csv.ts). */
export { csvFields };

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
/** `ps` lstart (`Wed Jun 17 08:40:01 2026`) or `2026-06-17 08:40:01` without a zone, read as UTC. */
function zonelessTime(s: string): Nanos | null {
  let m = /^(?:[A-Za-z]{3}\s+)?([A-Za-z]{3})\s+(\d{1,2})\s+(\d{2}):(\d{2}):(\d{2})\s+(\d{4})$/.exec(s.trim());
  if (m) {
    const mo = MONTHS.indexOf(m[1]!.toLowerCase());
    if (mo < 0) return null;
    return BigInt(Date.UTC(Number(m[6]), mo, Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]))) * 1_000_000n;
  }
  m = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?$/.exec(s.trim());
  if (m) {
    const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
    return BigInt(ms) * 1_000_000n + BigInt((m[7] ?? '').padEnd(9, '0') || '0');
  }
  return null;
}

interface Row {
  pid: unknown;
  ppid: unknown;
  start: unknown;
  end: unknown;
  exe: unknown;
  args: unknown;
  cwd: unknown;
  uid: unknown;
  exit_code: unknown;
}

class RowEmitter {
  zoneless = false;
  rows = 0;
  constructor(
    private readonly sink: RecordSink,
    private readonly w: Warner,
  ) {}
  private time(v: unknown, what: string, line: number): Nanos | null | 'bad' {
    if (v === undefined || v === null || (typeof v === 'string' && v.trim() === '')) return null;
    const t = anyTime(typeof v === 'string' ? v.trim() : v);
    if (t !== null) return t;
    if (typeof v === 'string') {
      const z = zonelessTime(v);
      if (z !== null) {
        this.zoneless = true;
        return z;
      }
    }
    this.w.warn(line, `${what} ${JSON.stringify(v).slice(0, 40)} is not a time`);
    return 'bad';
  }
  emit(r: Row, line: number, raw: string): void {
    const pid = asInt(r.pid);
    if (pid === null) return this.w.warn(line, `row without a numeric pid (${JSON.stringify(r.pid ?? null)}): skipped`);
    const start = this.time(r.start, 'start', line);
    if (start === 'bad') return;
    if (start === null) return this.w.warn(line, `pid ${pid}: row without a start time cannot be placed on the timeline: skipped`);
    const end = this.time(r.end, 'end', line);
    let args: string[] | null = null;
    if (Array.isArray(r.args)) args = r.args.map((a) => String(a));
    else if (typeof r.args === 'string' && r.args.trim() !== '') args = splitCommandLine(r.args.trim());
    const exe = asStr(r.exe)?.trim() || (args && args[0] ? args[0].replace(/^\[|\]$/g, '') : null);
    const ppid = asInt(r.ppid);
    const uid = asInt(r.uid);
    const cwd = asStr(r.cwd)?.trim() || null;
    this.sink.processEvent({ ts: start, event: 'exec', pid, ppid, exe, args, cwd, uid, origin: 'table', line, raw });
    if (end !== null && end !== 'bad') {
      if (end < start) this.w.warn(line, `pid ${pid}: end is before start: end ignored`);
      else this.sink.processEvent({ ts: end, event: 'exit', pid, exit_code: asInt(r.exit_code), origin: 'table', line, raw });
    }
    this.rows++;
  }
}

function emptyRow(): Row {
  return { pid: undefined, ppid: undefined, start: undefined, end: undefined, exe: undefined, args: undefined, cwd: undefined, uid: undefined, exit_code: undefined };
}

/**
 * A `ps` header: `ps -ef` (`UID PID PPID C STIME TTY TIME CMD`), `ps aux` (`USER PID %CPU … START TIME COMMAND`, no
 * PPID: a flat list of processes), `ps -eo pid,ppid,lstart,args`. PID and a command column are required.
 */
function psHeader(line: string): string[] | null {
  const toks = line.trim().split(/\s+/);
  if (!toks.includes('PID')) return null;
  if (!toks.includes('PPID') && !toks.some((t) => /^(CMD|COMMAND|ARGS)$/.test(t))) return null;
  if (toks.length < 2 || toks.some((t) => /[a-z]/.test(t))) return null;
  return toks.map((t) => (t === 'START' ? 'STIME' : t));
}

/**
 * `ps`'s short start column with the day it needs: `14:05` (HH:MM, that day), `Aug08` (month and day, the year of
 * that day), `2025` (a year only: not placeable). Returns an RFC 3339 time, or a problem.
 */
export function psStartTime(v: string, day: bigint | null): { time: string } | { problem: string } {
  const t = v.trim();
  const dayIso = day === null ? null : formatNanos(day).slice(0, 10);
  let m = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(t);
  if (m) {
    if (!dayIso) return { problem: `start "${t}" is a time of day: give the day with --date` };
    return { time: `${dayIso}T${m[1]!.padStart(2, '0')}:${m[2]}:${m[3] ?? '00'}Z` };
  }
  m = /^([A-Za-z]{3})(\d{1,2})$/.exec(t);
  if (m) {
    const mo = MONTHS.indexOf(m[1]!.toLowerCase());
    if (mo < 0) return { problem: `start "${t}" is not a ps start time` };
    if (!dayIso) return { problem: `start "${t}" has no year: give the day with --date` };
    return { time: `${dayIso.slice(0, 4)}-${String(mo + 1).padStart(2, '0')}-${m[2]!.padStart(2, '0')}T00:00:00Z` };
  }
  if (/^\d{4}$/.test(t)) return { problem: `start "${t}" is only a year: cannot be placed on the timeline` };
  return { problem: `start "${t}" is not a ps start time` };
}

function jsonKeys(line: string): Set<Col> | null {
  if (!/^\s*\{/.test(line)) return null;
  try {
    const o = JSON.parse(line);
    if (!isObj(o)) return null;
    if ('event' in o || 'eventName' in o) return null; // bundle processes.jsonl / event streams
    return new Set(Object.keys(o).map(colOf));
  } catch {
    return null;
  }
}

export const processTableImporter: Importer = {
  format: 'process-table',
  sniff(file: InputFile): number {
    const lines = headLines(file, 5);
    const first = lines[0];
    if (!first) return 0;
    const keys = jsonKeys(first);
    if (keys) return keys.has('pid') && keys.has('ppid') && keys.has('start') ? 0.8 : keys.has('pid') && keys.has('start') ? 0.5 : 0;
    if (first.trim().toLowerCase() === BUNDLE_HEADER) return 0.05;
    const sep = first.includes(',') ? ',' : first.includes('\t') ? '\t' : null;
    if (sep) {
      const cols = csvFields(first, sep).map(colOf);
      if (cols.includes('pid') && cols.includes('ppid')) return cols.includes('start') ? 0.8 : 0.4;
      return 0;
    }
    const ps = psHeader(first);
    if (ps) return ps.some((t) => colOf(t) === 'start' || colOf(t) === 'stime') ? 0.8 : 0.4;
    return 0;
  },
  async read(_file, stream, sink, ctx) {
    const w = new Warner(sink);
    const em = new RowEmitter(sink, w);
    let mode: 'json' | 'csv' | 'ps' | null = null;
    let sep = ',';
    let cols: Col[] = [];
    let psCols: string[] = [];
    let stimeProblem: string | null = null;
    let stimeDay = false;
    for await (const l of readLines(stream, { signal: ctx.signal })) {
      if (ctx.signal.aborted) break;
      if (l.tooLong) {
        w.warn(l.no, 'line too long: skipped');
        continue;
      }
      const text = l.text;
      if (text.trim() === '') continue;
      if (l.badUtf8) w.warn(l.no, 'invalid UTF-8 bytes replaced with U+FFFD');
      if (mode === null) {
        if (/^\s*\{/.test(text)) mode = 'json';
        else if (text.includes(',') || text.includes('\t')) {
          mode = 'csv';
          sep = text.includes(',') ? ',' : '\t';
          cols = csvFields(text, sep).map(colOf);
          if (!cols.includes('pid')) throw new Error('process table header has no PID column');
          noteLines(l.no, l.no, 'header');
          continue;
        } else {
          const h = psHeader(text);
          if (!h) throw new Error('not a process table: the first line is neither a CSV header, a ps header nor JSON');
          mode = 'ps';
          psCols = h;
          noteLines(l.no, l.no, 'header');
          continue;
        }
      }
      const row = emptyRow();
      if (mode === 'json') {
        let o: unknown;
        try {
          o = JSON.parse(text);
        } catch (e) {
          w.warn(l.no, `invalid JSON: ${(e as Error).message}`);
          continue;
        }
        if (!isObj(o)) {
          w.warn(l.no, 'JSON value is not an object: skipped');
          continue;
        }
        for (const [k, v0] of Object.entries(o)) {
          const c = colOf(k);
          // integers beyond 2^53 (ns timestamps) lose digits in JSON.parse: take them from the text
          const v = typeof v0 === 'number' && !Number.isSafeInteger(v0) && Number.isInteger(v0) ? String(exactIntField(text, k, v0)) : v0;
          if (c !== 'other' && c !== 'etime' && (row as unknown as Record<string, unknown>)[c] === undefined) {
            (row as unknown as Record<string, unknown>)[c] = v;
          }
        }
      } else if (mode === 'csv') {
        const f = csvFields(text, sep);
        if (f.length !== cols.length) w.warn(l.no, `row has ${f.length} fields, header has ${cols.length}`);
        cols.forEach((c, i) => {
          if (c !== 'other' && c !== 'etime' && (row as unknown as Record<string, unknown>)[c] === undefined) {
            (row as unknown as Record<string, unknown>)[c] = f[i];
          }
        });
      } else {
        // ps: consume tokens per header column; lstart is 5 words; the last column takes the rest of the line
        const toks = [...text.matchAll(/\S+/g)];
        let ti = 0;
        psCols.forEach((h, ci) => {
          const c = colOf(h);
          if (ti >= toks.length) return;
          if (ci === psCols.length - 1) {
            const v = text.slice(toks[ti]!.index!).trimEnd();
            if (c !== 'other' && c !== 'etime') (row as unknown as Record<string, unknown>)[c] = v;
            ti = toks.length;
            return;
          }
          const n = c === 'start' && /^[A-Za-z]{3}$/.test(toks[ti]![0]) ? 5 : 1;
          const v = toks.slice(ti, ti + n).map((t) => t[0]).join(' ');
          ti += n;
          if (c === 'stime') {
            const st = psStartTime(v, ctx.date);
            if ('time' in st) {
              row.start = st.time;
              stimeDay = stimeDay || /^[A-Za-z]/.test(v);
            } else stimeProblem = st.problem;
            return;
          }
          if (c !== 'other' && c !== 'etime') (row as unknown as Record<string, unknown>)[c] = v;
        });
      }
      if (stimeProblem !== null) {
        w.warn(l.no, `${stimeProblem}; row skipped`);
        stimeProblem = null;
        continue;
      }
      em.emit(row, l.no, text);
    }
    if (stimeDay) w.warn(null, 'ps start columns like "Aug08" give only the day: those processes are placed at 00:00 of it');
    if (em.zoneless) w.warn(null, 'process table times have no zone: read as UTC (adjust with a clock offset if the machine was not on UTC)');
    w.flush();
  },
};
