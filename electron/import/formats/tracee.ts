/**
 * Aqua Tracee JSON events, both shapes:
 * - legacy (≤ v0.19): `timestamp` (ns), `eventName`, `hostProcessId`, `hostParentProcessId`, `processName`,
 *   `processEntityId`, `parentEntityId`, `userId`, `returnValue`, `args: [{name, type, value}]`;
 * - current (v0.20+): `timestamp` (ns, RFC 3339 or `{seconds, nanos}`), `name`, `workload.process` (`hostPid`,
 *   `pid`, `uniqueId`, `executable.path`, `realUser.id`, `ancestors[0]` = parent), `data: [{name, value | <typed>}]`.
 *
 *   sched_process_exec                        -> ProcessEventRecord exec (key = entity id)
 *   sched_process_exit                        -> ProcessEventRecord exit
 *   security_socket_connect / connect / net_tcp_connect -> NetworkRecord (AF_INET/AF_INET6); AF_UNIX -> FileEventRecord 'connect-unix'
 *   net_packet_dns (responses) / net_packet_dns_response -> DnsRecord
 *   security_file_open / vfs_write / vfs_read / security_inode_unlink / chmod… -> FileEventRecord
 *   any event with a matched signature (`metadata.Properties.signatureName` / `threat`) -> DetectionRecord
 * A connect seen twice (syscall and LSM hook) within 1 ms for the same pid and address is kept once.
 */
import type { Importer, InputFile } from '../types';
import type { Nanos } from '../../../shared/time';
import { forEachJsonObject } from './json-docs';
import { anyTime, asInt, asStr, basename, exactIntField, headText, isObj, normDomain, severityFrom, Warner } from '../kit';

type Obj = Record<string, unknown>;

interface Ev {
  name: string;
  ts: Nanos;
  pid: number | null;
  ppid: number | null;
  comm: string | null;
  exe: string | null;
  uid: number | null;
  key: string | null;
  parentKey: string | null;
  ret: number | null;
  args: Map<string, unknown>;
}

function dataValue(d: Obj): unknown {
  if ('value' in d) return d.value;
  for (const [k, v] of Object.entries(d)) if (k !== 'name' && k !== 'type') return v;
  return undefined;
}

function normalise(doc: Obj, raw: string): Ev | null | 'no-time' {
  const legacy = typeof doc.eventName === 'string';
  const name = legacy ? (doc.eventName as string) : asStr(doc.name);
  if (!name) return null;
  const tsRaw = doc.timestamp;
  const ts = anyTime(tsRaw, typeof tsRaw === 'number' ? exactIntField(raw, 'timestamp', tsRaw) : null);
  if (ts === null) return 'no-time';
  const args = new Map<string, unknown>();
  if (legacy) {
    for (const a of Array.isArray(doc.args) ? doc.args : []) if (isObj(a) && typeof a.name === 'string') args.set(a.name, a.value);
    return {
      name, ts, pid: asInt(doc.hostProcessId) ?? asInt(doc.processId), ppid: asInt(doc.hostParentProcessId) ?? asInt(doc.parentProcessId),
      comm: asStr(doc.processName), exe: null, uid: asInt(doc.userId),
      key: asStr(doc.processEntityId), parentKey: asStr(doc.parentEntityId), ret: asInt(doc.returnValue), args,
    };
  }
  for (const a of Array.isArray(doc.data) ? doc.data : []) if (isObj(a) && typeof a.name === 'string') args.set(a.name, dataValue(a));
  const wl = isObj(doc.workload) ? doc.workload : {};
  const p = isObj(wl.process) ? wl.process : {};
  const anc = Array.isArray(p.ancestors) && isObj(p.ancestors[0]) ? (p.ancestors[0] as Obj) : {};
  const exe = isObj(p.executable) ? asStr(p.executable.path) : null;
  const uid = isObj(p.realUser) ? asInt(p.realUser.id) : null;
  const thread = isObj(p.thread) ? p.thread : {};
  return {
    name, ts, pid: asInt(p.hostPid) ?? asInt(p.pid), ppid: asInt(anc.hostPid) ?? asInt(anc.pid),
    comm: asStr(thread.name) ?? basename(exe), exe, uid, key: asStr(p.uniqueId) ?? asStr(p.entityId),
    parentKey: asStr(anc.uniqueId) ?? asStr(anc.entityId), ret: asInt(doc.returnValue), args,
  };
}

/** A sockaddr as Tracee prints it: `{sa_family: "AF_INET", sin_addr, sin_port}` (values as strings or numbers). */
function sockaddr(v: unknown): { family: string; ip?: string; port?: number; path?: string } | null {
  if (!isObj(v)) return null;
  const fam = String(v.sa_family ?? v.saFamily ?? '');
  if (/INET6/.test(fam)) return { family: 'inet6', ip: asStr(v.sin6_addr ?? v.sin6Addr) ?? undefined, port: asInt(v.sin6_port ?? v.sin6Port) ?? undefined };
  if (/INET/.test(fam)) return { family: 'inet', ip: asStr(v.sin_addr ?? v.sinAddr) ?? undefined, port: asInt(v.sin_port ?? v.sinPort) ?? undefined };
  if (/UNIX|LOCAL/.test(fam)) return { family: 'unix', path: asStr(v.sun_path ?? v.sunPath) ?? '' };
  return { family: fam };
}

const FILE_EVENTS: Record<string, string> = {
  security_inode_unlink: 'delete', security_path_unlink: 'delete', vfs_write: 'write', vfs_writev: 'write',
  vfs_read: 'read', vfs_readv: 'read', magic_write: 'write', chmod_common: 'chmod', security_inode_rename: 'write',
};

function openOp(flags: unknown): string {
  const f = String(flags ?? '');
  if (/O_WRONLY|O_RDWR|O_CREAT|O_TRUNC/.test(f)) return 'write';
  if (typeof flags === 'number') return (flags & 3) !== 0 ? 'write' : 'read';
  return 'read';
}

function dnsAnswers(v: unknown): { domain: string; type: string | null; answers: string[] }[] {
  const out: { domain: string; type: string | null; answers: string[] }[] = [];
  // current net_packet_dns: {questions: [{name, type}], answers: [{name, type, IP|ip, …}], QR|qr}
  if (isObj(v)) {
    const qs = Array.isArray(v.questions) ? v.questions.filter(isObj) : [];
    const as = Array.isArray(v.answers) ? v.answers.filter(isObj) : [];
    const ips = as.map((a) => asStr(a.IP ?? a.ip)).filter((x): x is string => !!x);
    const domain = normDomain(asStr(qs[0]?.name) ?? asStr(as[0]?.name));
    if (domain && ips.length) out.push({ domain, type: asStr(qs[0]?.type) ?? asStr(as[0]?.type), answers: ips });
    return out;
  }
  // legacy net_packet_dns_response: [{query_data: {query, query_type}, dns_answer: [{answer_type, answer}]}]
  if (Array.isArray(v)) {
    for (const r of v.filter(isObj)) {
      const q = isObj(r.query_data) ? r.query_data : {};
      const domain = normDomain(asStr(q.query));
      const ans = (Array.isArray(r.dns_answer) ? r.dns_answer.filter(isObj) : [])
        .filter((a) => /^(A|AAAA)$/.test(String(a.answer_type ?? '')))
        .map((a) => asStr(a.answer))
        .filter((x): x is string => !!x);
      if (domain && ans.length) out.push({ domain, type: asStr(q.query_type), answers: ans });
    }
  }
  return out;
}

/** Tracee signature severity: 0 info, 1 low, 2 medium, 3 high, 4 critical (or a word). */
function traceeSeverity(v: unknown): string | null {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d$/.test(v) ? Number(v) : null;
  if (n !== null) return ['info', 'low', 'medium', 'high', 'critical'][Math.min(4, Math.max(0, n))]!;
  return severityFrom(asStr(v));
}

export const traceeImporter: Importer = {
  format: 'tracee',
  sniff(file: InputFile): number {
    const text = headText(file).trimStart();
    if (!text.startsWith('{') && !text.startsWith('[')) return 0;
    if (/"eventName"\s*:/.test(text) && /"(hostProcessId|processEntityId|argsNum|threadStartTime)"\s*:/.test(text)) return 0.9;
    if (/"workload"\s*:\s*\{/.test(text) && /"process"\s*:\s*\{/.test(text) && /"data"\s*:\s*\[/.test(text)) return 0.85;
    return 0;
  },
  async read(_file, stream, sink, ctx) {
    const w = new Warner(sink);
    const lastConnect = new Map<string, Nanos>();
    const skipped = new Map<string, number>();
    await forEachJsonObject(stream, ctx.signal, (l, m) => w.warn(l, m), (doc, line, raw) => {
      const ev = normalise(doc, raw);
      if (ev === null) return w.warn(line, 'not a Tracee event (no eventName / name): skipped');
      if (ev === 'no-time') return w.warn(line, 'Tracee event without a usable timestamp: skipped');
      const common = { line, raw };
      const { ts, pid } = ev;
      let used = false;
      switch (ev.name) {
        case 'sched_process_exec':
        case 'execve': {
          if (ev.name === 'execve' && ev.ret !== null && ev.ret !== 0) break;
          if (pid === null) return w.warn(line, `${ev.name} without a pid: skipped`);
          const argv = ev.args.get('argv');
          const exe = asStr(ev.args.get('pathname')) ?? asStr(ev.args.get('cmdpath')) ?? ev.exe;
          sink.processEvent({
            ts, event: 'exec', pid, ppid: ev.ppid, exe,
            args: Array.isArray(argv) ? argv.map((a) => String(a)) : null, cwd: asStr(ev.args.get('cwd')), uid: ev.uid,
            key: ev.key, parent_key: ev.parentKey, origin: 'events', ...common,
          });
          used = true;
          break;
        }
        case 'sched_process_exit': {
          if (pid === null) return w.warn(line, 'sched_process_exit without a pid: skipped');
          const code = asInt(ev.args.get('exit_code'));
          sink.processEvent({
            ts, event: 'exit', pid, exit_code: code === null ? null : code > 255 ? code >> 8 : code, key: ev.key,
            parent_key: ev.parentKey, origin: 'events', ...common,
          });
          used = true;
          break;
        }
        case 'security_socket_connect':
        case 'connect':
        case 'net_tcp_connect': {
          let sa = sockaddr(ev.args.get('remote_addr') ?? ev.args.get('addr'));
          if (!sa && ev.name === 'net_tcp_connect') {
            const ip = asStr(ev.args.get('dst'));
            sa = ip ? { family: ip.includes(':') ? 'inet6' : 'inet', ip, port: asInt(ev.args.get('dst_port')) ?? undefined } : null;
          }
          if (!sa) break;
          if (sa.family === 'unix') {
            sink.fileEvent({ ts, pid, exe: ev.exe, path: sa.path || '(unnamed socket)', op: 'connect-unix', sha256: null, ...common });
            used = true;
            break;
          }
          if ((sa.family === 'inet' || sa.family === 'inet6') && sa.ip) {
            const k = `${pid}|${sa.ip}|${sa.port}`;
            const prev = lastConnect.get(k);
            lastConnect.set(k, ts);
            if (prev !== undefined && ts - prev < 1_000_000n && ts >= prev) return; // same connect, second hook
            const failed = ev.name === 'connect' && ev.ret !== null && ev.ret < 0 && ev.ret !== -115;
            const dnsName = ev.args.get('dst_dns');
            sink.network({
              ts, pid, process: ev.comm, domain: Array.isArray(dnsName) ? normDomain(asStr(dnsName[0])) : normDomain(asStr(dnsName)),
              ip: sa.ip, port: sa.port ?? 0, protocol: 'tcp', status: failed ? 'failed' : 'allowed', http: null, policy: null,
              tool: null, exe: ev.exe, ...common,
            });
            used = true;
          }
          break;
        }
        case 'net_packet_dns':
        case 'net_packet_dns_response': {
          for (const d of dnsAnswers(ev.args.get('proto_dns') ?? ev.args.get('dns_response'))) {
            sink.dns({ ts, domain: d.domain, type: d.type, answers: d.answers, pid, ...common });
            used = true;
          }
          if (!used) used = true; // a query or an answer without addresses: nothing to store, not a problem
          break;
        }
        case 'security_file_open': {
          const path = asStr(ev.args.get('pathname')) ?? asStr(ev.args.get('syscall_pathname'));
          if (path) {
            sink.fileEvent({ ts, pid, exe: ev.exe, path, op: openOp(ev.args.get('flags')), sha256: null, ...common });
            used = true;
          }
          break;
        }
        default: {
          const op = FILE_EVENTS[ev.name];
          const path = asStr(ev.args.get('pathname')) ?? asStr(ev.args.get('old_path'));
          if (op && path) {
            sink.fileEvent({ ts, pid, exe: ev.exe, path, op, sha256: null, ...common });
            used = true;
          } else if (op) used = true; // e.g. vfs_read with an empty pathname (pipes, anonymous files)
        }
      }
      // Signature findings (tracee-rules / detections): metadata.Properties or threat.
      const meta = isObj(doc.metadata) ? doc.metadata : null;
      const props = meta && isObj(meta.Properties) ? meta.Properties : null;
      const threat = isObj(doc.threat) ? doc.threat : null;
      if (props || threat) {
        const sigName = asStr(props?.signatureName) ?? asStr(threat?.name) ?? ev.name;
        sink.detection({
          det_id: asStr(props?.signatureID) ?? asStr(threat?.id), kind: `tracee:${sigName}`,
          severity: traceeSeverity(props?.Severity ?? threat?.severity),
          title: asStr(meta?.Description) ?? asStr(threat?.description) ?? sigName, ts, endpoint: null, pid, ...common,
        });
        used = true;
      }
      if (!used) skipped.set(ev.name, (skipped.get(ev.name) ?? 0) + 1);
    });
    if (skipped.size) {
      const list = [...skipped].map(([n, c]) => `${n} ×${c}`).join(', ');
      w.warn(null, `Tracee events carrying nothing this case stores were not imported: ${list}`);
    }
    w.flush();
  },
};
