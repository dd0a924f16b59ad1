/**
 * Cilium Tetragon JSON export (`tetra getevents -o json`, the export file, or pretty-printed documents one after
 * another). Each document is `{"<event type>": {...}, "node_name": …, "time": …}`.
 *
 *   process_exec            -> ProcessEventRecord exec (time = process.start_time, else the event time)
 *   process_exit            -> ProcessEventRecord exit (exit_code = status; omitted = 0, Tetragon omits zero values)
 *   process_kprobe tcp_connect / tcp_sendmsg… with sock_arg -> NetworkRecord (only tcp_connect / connect functions)
 *   process_kprobe with file_arg (e.g. __x64_sys_read) -> FileEventRecord (op from the function name: read, write, …)
 *   process_kprobe of a generic syscall policy (`__x64_sys_connect` / `__x64_sys_openat`, …) whose arguments are typed
 *   only `sockaddr_arg` {family, addr, port} / `string_arg` + `int_arg` (a real export: SOURCES.md, nexus-cyber):
 *   a connect with an AF_INET/AF_INET6 sockaddr -> NetworkRecord (protocol not said: ''), AF_UNIX -> FileEventRecord
 *   `connect-unix`; an open* with an absolute `string_arg` path -> FileEventRecord, op from the open flags (the
 *   `int_arg` after the path: O_WRONLY/O_RDWR/O_CREAT/O_TRUNC -> write, else read). A relative path (to a directory
 *   fd the event does not resolve) is not stored: counted in the summary warning.
 *   process_connect (legacy) -> NetworkRecord;  process_close (legacy) -> nothing (the connect was already counted)
 *
 * `exec_id` / `parent_exec_id` become `key` / `parent_key`. A process (or its parent) seen only inside other events
 * gets one exec record built from its `start_time`, so a kprobe-only export still has a process tree.
 */
import type { Importer, InputFile } from '../types';
import type { ProcessEventRecord } from '../../../shared/model';
import type { Nanos } from '../../../shared/time';
import { tryParseRfc3339 } from '../../../shared/time';
import { forEachJsonObject } from './json-docs';
import { asInt, asStr, basename, headText, isObj, splitCommandLine, Warner } from '../kit';

const EVENT_KEYS = [
  'process_exec', 'process_exit', 'process_kprobe', 'process_tracepoint', 'process_uprobe', 'process_lsm',
  'process_loader', 'process_connect', 'process_close', 'process_listen', 'process_throttle', 'rate_limit_info',
];
const SNIFF = new RegExp(`"(${EVENT_KEYS.join('|')})"\\s*:\\s*\\{`);

type Obj = Record<string, unknown>;

function procArgs(p: Obj): string[] | null {
  const bin = asStr(p.binary);
  const a = asStr(p.arguments);
  const rest = a ? splitCommandLine(a) : [];
  if (!bin && rest.length === 0) return null;
  return bin ? [bin, ...rest] : rest;
}

function fileOp(fn: string): string {
  const f = fn.toLowerCase();
  if (f.includes('unlink') || f.includes('rmdir')) return 'delete';
  if (f.includes('chmod')) return 'chmod';
  if (f.includes('write') || f.includes('truncate')) return 'write';
  if (f.includes('read') || f.includes('open') || f.includes('mmap')) return 'read';
  return fn;
}

/** open(2) flags -> the file op: any write access, creation or truncation writes; the rest reads. */
function openFlagsOp(flags: number | null): string {
  if (flags === null) return 'read';
  return (flags & 3) !== 0 || (flags & 0o100) !== 0 || (flags & 0o1000) !== 0 ? 'write' : 'read';
}

function protoName(p: unknown): string {
  const s = String(p ?? 'tcp').toLowerCase();
  if (s.includes('udp')) return 'udp';
  return 'tcp';
}

export const tetragonImporter: Importer = {
  format: 'tetragon',
  sniff(file: InputFile): number {
    const text = headText(file).trimStart();
    if (!text.startsWith('{') && !text.startsWith('[')) return 0;
    const m = SNIFF.exec(text);
    if (!m) return 0;
    return /"exec_id"\s*:/.test(text) || /"node_name"\s*:/.test(text) ? 0.95 : 0.7;
  },
  async read(_file, stream, sink, ctx) {
    const w = new Warner(sink);
    const seenExec = new Set<string>(); // exec_ids with a process_exec event (or one already synthesized)
    const implied = new Map<string, ProcessEventRecord>(); // exec_id -> exec built from an embedded process object
    const skipped = new Map<string, number>();

    const imply = (p: unknown, parent: unknown, line: number, raw: string) => {
      if (!isObj(p)) return;
      const key = asStr(p.exec_id);
      if (!key || seenExec.has(key) || implied.has(key)) return;
      const start = tryParseRfc3339(p.start_time);
      if (start === null) return;
      implied.set(key, {
        ts: start, event: 'exec', pid: asInt(p.pid) ?? 0, ppid: isObj(parent) ? asInt(parent.pid) : null,
        exe: asStr(p.binary), args: procArgs(p), cwd: asStr(p.cwd), uid: asInt(p.uid), key,
        parent_key: asStr(p.parent_exec_id), origin: 'events', line, raw,
      });
    };

    await forEachJsonObject(stream, ctx.signal, (l, m) => w.warn(l, m), (doc, line, raw) => {
      const type = EVENT_KEYS.find((k) => isObj(doc[k]));
      if (!type) {
        w.warn(line, 'not a Tetragon event (no process_* object): skipped');
        return;
      }
      const ev = doc[type] as Obj;
      const p = isObj(ev.process) ? ev.process : {};
      const parent = ev.parent;
      const time: Nanos | null = tryParseRfc3339(doc.time);
      const pid = asInt(p.pid) ?? 0; // proto3 JSON omits zero values
      const key = asStr(p.exec_id);
      const exe = asStr(p.binary);
      const common = { line, raw };
      switch (type) {
        case 'process_exec': {
          const ts = tryParseRfc3339(p.start_time) ?? time;
          if (ts === null) return w.warn(line, 'process_exec without a usable time: skipped');
          if (key) {
            seenExec.add(key);
            implied.delete(key);
          }
          sink.processEvent({
            ts, event: 'exec', pid, ppid: isObj(parent) ? asInt(parent.pid) : null, exe, args: procArgs(p),
            cwd: asStr(p.cwd), uid: asInt(p.uid), key, parent_key: asStr(p.parent_exec_id), origin: 'events', ...common,
          });
          imply(parent, null, line, raw);
          return;
        }
        case 'process_exit': {
          if (time === null) return w.warn(line, 'process_exit without a usable time: skipped');
          imply(p, parent, line, raw);
          imply(parent, null, line, raw);
          sink.processEvent({
            ts: time, event: 'exit', pid, exe, key, parent_key: asStr(p.parent_exec_id),
            exit_code: asInt(ev.status) ?? 0, origin: 'events', ...common,
          });
          return;
        }
        case 'process_kprobe': {
          if (time === null) return w.warn(line, 'process_kprobe without a usable time: skipped');
          imply(p, parent, line, raw);
          imply(parent, null, line, raw);
          const fn = asStr(ev.function_name) ?? '';
          const args = Array.isArray(ev.args) ? ev.args.filter(isObj) : [];
          const sock = args.map((a) => a.sock_arg).find(isObj);
          const file = args.map((a) => a.file_arg ?? a.path_arg).find(isObj);
          const sockaddr = args.map((a) => a.sockaddr_arg).find(isObj);
          const strAt = args.findIndex((a) => typeof a.string_arg === 'string');
          const policy = asStr(ev.policy_name) ? { matched: asStr(ev.policy_name)! } : null;
          const blocked = ev.action === 'KPROBE_ACTION_OVERRIDE' || ev.action === 'KPROBE_ACTION_SIGKILL';
          if (sockaddr && /connect/.test(fn) && !sock) {
            const family = asStr(sockaddr.family) ?? '';
            const addr = asStr(sockaddr.addr);
            if (family === 'AF_UNIX') {
              if (!addr) return w.warn(line, `${fn} AF_UNIX without a path: skipped`);
              sink.fileEvent({ ts: time, pid, exe, path: addr, op: 'connect-unix', sha256: null, ...common });
              return;
            }
            if (!addr || (family !== 'AF_INET' && family !== 'AF_INET6')) {
              return w.warn(line, `${fn} sockaddr ${family || '(no family)'} without an IP address: skipped`);
            }
            sink.network({
              ts: time, pid, process: basename(exe), domain: null, ip: addr, port: asInt(sockaddr.port) ?? 0, protocol: '',
              status: blocked ? 'blocked' : 'allowed', http: null, policy, tool: null, exe, ...common,
            });
            return;
          }
          if (!file && !sock && strAt >= 0 && /open/.test(fn)) {
            const path = args[strAt]!.string_arg as string;
            if (path.startsWith('/')) {
              const flags = args.slice(strAt + 1).find((a) => typeof a.int_arg === 'number');
              sink.fileEvent({ ts: time, pid, exe, path, op: openFlagsOp(flags ? asInt(flags.int_arg) : null), sha256: null, ...common });
            } else {
              const k = `process_kprobe ${fn} with a relative path`;
              skipped.set(k, (skipped.get(k) ?? 0) + 1);
            }
            return;
          }
          if (sock && /connect/.test(fn)) {
            const ip = asStr(sock.daddr);
            const port = asInt(sock.dport) ?? 0;
            if (!ip) return w.warn(line, `${fn} without a destination address: skipped`);
            sink.network({
              ts: time, pid, process: basename(exe), domain: null, ip, port, protocol: protoName(sock.protocol),
              status: ev.action === 'KPROBE_ACTION_OVERRIDE' || ev.action === 'KPROBE_ACTION_SIGKILL' ? 'blocked' : 'allowed',
              http: null, policy: asStr(ev.policy_name) ? { matched: asStr(ev.policy_name)! } : null, tool: null, exe, ...common,
            });
            } else if (file && asStr(file.path)) {
            sink.fileEvent({ ts: time, pid, exe, path: asStr(file.path)!, op: fileOp(fn), sha256: null, ...common });
            } else {
            const k = `process_kprobe ${fn || '(no function)'}`;
            skipped.set(k, (skipped.get(k) ?? 0) + 1);
          }
          return;
        }
        case 'process_connect': {
          if (time === null) return w.warn(line, 'process_connect without a usable time: skipped');
          imply(p, parent, line, raw);
          imply(parent, null, line, raw);
          const ip = asStr(ev.destination_ip);
          if (!ip) return w.warn(line, 'process_connect without destination_ip: skipped');
          sink.network({
            ts: time, pid, process: basename(exe), domain: null, ip, port: asInt(ev.destination_port) ?? 0,
            protocol: protoName(ev.protocol), status: 'allowed', http: null, policy: null, tool: null, exe, ...common,
          });
          return;
        }
        case 'process_close':
          imply(p, parent, line, raw);
          imply(parent, null, line, raw);
          return;
        default:
          imply(p, parent, line, raw);
          skipped.set(type, (skipped.get(type) ?? 0) + 1);
      }
    });
    for (const rec of implied.values()) {
      sink.processEvent(rec);
    }
    for (const [t, n] of skipped) w.warn(null, `${n} Tetragon ${t} event(s) carry nothing this case stores: not imported`);
    w.flush();
  },
};
