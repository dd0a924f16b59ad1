/**
 * Falco JSON alerts (`json_output: true`): one object per line (or all of them in one JSON array) with `time`, `rule`, `priority`, `output`,
 * `output_fields` (`proc.*`, `fd.*`, `evt.*`, `user.*`), optional `source`, `tags`, `hostname`, `uuid`.
 *
 * Every alert becomes a DetectionRecord: kind `falco:<rule>`, severity from the priority. Where the fields carry
 * them, an alert also gives:
 *   - an exec ProcessEventRecord: an execve/execveat alert with `proc.pid`;
 *   - a NetworkRecord: a connect/sendto alert (or `fd.type` ipv4/ipv6) with a server address `fd.sip`/`fd.rip`
 *     and port `fd.sport`/`fd.rport`;
 *   - a FileEventRecord: an open/unlink/rename/chmod… alert on a file (`fd.type` file, or `fd.name` an absolute path).
 */
import type { Importer, InputFile } from '../types';
import type { Nanos } from '../../../shared/time';
import { forEachJsonObject } from './json-docs';
import { anyTime, asInt, asStr, basename, exactIntField, headLines, headText, isObj, severityFrom, splitCommandLine, Warner } from '../kit';

type Obj = Record<string, unknown>;

function alertTime(doc: Obj, f: Obj, raw: string): Nanos | null {
  const t = anyTime(doc.time);
  if (t !== null) return t;
  for (const k of ['evt.time', 'evt.rawtime', 'evt.time.iso8601']) {
    const v = f[k];
    if (v === undefined) continue;
    const r = anyTime(v, typeof v === 'number' ? exactIntField(raw, k, v) : null);
    if (r !== null) return r;
  }
  return null;
}

function fileOpFor(evtType: string, f: Obj): string | null {
  if (/^(unlink|unlinkat|rmdir)$/.test(evtType)) return 'delete';
  if (/^(chmod|fchmod|fchmodat)$/.test(evtType)) return 'chmod';
  if (/^(rename|renameat|renameat2)$/.test(evtType)) return 'write';
  if (/^(open|openat|openat2|creat)$/.test(evtType)) {
    if (f['evt.is_open_write'] === true || f['evt.is_open_write'] === 'true') return 'write';
    if (f['evt.is_open_read'] === true || f['evt.is_open_read'] === 'true') return 'read';
    const flags = asStr(f['evt.arg.flags']) ?? '';
    if (/O_WRONLY|O_RDWR|O_CREAT|O_TRUNC/.test(flags)) return 'write';
    if (/O_RDONLY/.test(flags)) return 'read';
    return 'open';
  }
  return null;
}

export const falcoImporter: Importer = {
  format: 'falco',
  sniff(file: InputFile): number {
    // Alerts collected as one JSON array (`[{…},{…}]`, pretty-printed or not), as `jq -s .` or an export writes them
    const t0 = headText(file).trimStart();
    if (t0.startsWith('[')) {
      const body = t0.slice(1).trimStart();
      if (!body.startsWith('{')) return 0;
      return /"rule"\s*:/.test(t0) && /"priority"\s*:/.test(t0) && /"output"\s*:/.test(t0) ? 0.85 : 0;
    }
    const lines = headLines(file, 10);
    let hits = 0;
    for (const l of lines) {
      const t = l.trimStart();
      if (!t.startsWith('{')) continue;
      if (/"rule"\s*:/.test(t) && /"priority"\s*:/.test(t) && /"output"\s*:/.test(t)) hits++;
    }
    if (hits === 0) return 0;
    return hits >= Math.min(2, lines.length) ? 0.9 : 0.7;
  },
  async read(_file, stream, sink, ctx) {
    const w = new Warner(sink);
    await forEachJsonObject(stream, ctx.signal, (l, m) => w.warn(l, m), (doc, line, raw) => {
      const rule = typeof doc.rule === 'string' && doc.rule.trim() !== '' ? doc.rule : null;
      if (!rule) return w.warn(line, 'Falco alert without "rule": skipped');
      const f: Obj = isObj(doc.output_fields) ? doc.output_fields : {};
      const ts = alertTime(doc, f, raw);
      if (ts === null) return w.warn(line, `Falco alert "${rule}" without a usable time (time / evt.time): skipped`);
      const pid = asInt(f['proc.pid']);
      const evtType = asStr(f['evt.type']) ?? '';
      const exe = asStr(f['proc.exepath']) ?? asStr(f['proc.exe']);
      const cmdline = asStr(f['proc.cmdline']);
      const common = { line, raw };

      const sip = asStr(f['fd.sip']) ?? asStr(f['fd.rip']);
      const sport = asInt(f['fd.sport']) ?? asInt(f['fd.rport']);
      const endpoint = sip && sport !== null ? (sip.includes(':') ? `[${sip}]:${sport}` : `${sip}:${sport}`) : null;

      sink.detection({
        det_id: asStr(doc.uuid), kind: `falco:${rule}`, severity: severityFrom(asStr(doc.priority)),
        title: asStr(doc.output) ?? rule, ts, endpoint, pid, ...common,
      });

      if ((evtType === 'execve' || evtType === 'execveat') && pid !== null) {
        const args = cmdline ? splitCommandLine(cmdline) : null;
        sink.processEvent({
          ts, event: 'exec', pid, ppid: asInt(f['proc.ppid']), exe, args, cwd: asStr(f['proc.cwd']),
          uid: asInt(f['user.uid']), origin: 'events', ...common,
        });
      }
      const fdType = asStr(f['fd.type']) ?? '';
      const isNet = fdType === 'ipv4' || fdType === 'ipv6' || /^(connect|sendto|sendmsg)$/.test(evtType);
      if (isNet && sip && sport !== null) {
        const proto = (asStr(f['fd.l4proto']) ?? 'tcp').toLowerCase();
        sink.network({
          ts, pid, process: asStr(f['proc.name']) ?? basename(exe), domain: asStr(f['fd.sip.name']) ?? null, ip: sip,
          port: sport, protocol: proto === 'udp' ? 'udp' : 'tcp', status: 'allowed', http: null, policy: null, tool: null,
          command_line: cmdline, exe, ...common,
        });
      } else {
        const path = asStr(f['fd.name']) ?? asStr(f['fs.path.name']);
        const op = fileOpFor(evtType, f);
        if (path && op && (fdType === 'file' || fdType === '' ) && path.startsWith('/')) {
          sink.fileEvent({ ts, pid, exe, path, op, sha256: null, ...common });
        }
      }
    });
    w.flush();
  },
};
