/**
 * Bullfrog (bullfrogsec/agent) `connections.log`: JSON lines written by the agent for every connection decision,
 * `{"timestamp": ms, "decision": "allowed"|"blocked", "protocol": "tcp"|"udp"|"DNS", "srcIP", "srcPort", "dstIP",
 * "dstPort" (string), "domain", "reason", "pid", "processName", "commandLine", "executablePath", "processingTime",
 * "docker": {containerImage, containerName}}`. The agent writes "unknown" (and pid 0) when it could not tell: those
 * become null.
 *
 *   tcp / udp entries  -> NetworkRecord (status from decision; policy.reason = reason; command_line, exe kept)
 *   DNS entries        -> DnsRecord for the queried domain (no answers: Bullfrog logs the question) and, when the
 *                         query was blocked, a DetectionRecord blocked-call naming the domain
 */
import type { Importer, InputFile } from '../types';
import { forEachJsonObject } from './json-docs';
import { anyTime, asInt, asStr, headLines, isObj, normDomain, Warner } from '../kit';

function known(v: unknown): string | null {
  const s = asStr(v);
  if (s === null) return null;
  const t = s.trim();
  return t === '' || t.toLowerCase() === 'unknown' ? null : t;
}

export const bullfrogImporter: Importer = {
  format: 'bullfrog',
  sniff(file: InputFile): number {
    const lines = headLines(file, 10);
    let hits = 0;
    for (const l of lines) {
      if (/^\s*\{/.test(l) && /"decision"\s*:/.test(l) && /"dstIP"\s*:/.test(l) && /"timestamp"\s*:/.test(l)) hits++;
    }
    if (hits === 0) return 0;
    return hits >= Math.min(2, lines.length) ? 0.9 : 0.7;
  },
  async read(_file, stream, sink, ctx) {
    const w = new Warner(sink);
    await forEachJsonObject(stream, ctx.signal, (l, m) => w.warn(l, m), (doc, line, raw) => {
      const ts = anyTime(doc.timestamp);
      if (ts === null) return w.warn(line, 'Bullfrog entry without a usable "timestamp": skipped');
      const decision = (known(doc.decision) ?? 'allowed').toLowerCase();
      const status = /block|deny|drop|reject/.test(decision) ? 'blocked' : 'allowed';
      const protocol = (known(doc.protocol) ?? 'tcp').toLowerCase();
      const pidN = asInt(doc.pid);
      const pid = pidN && pidN > 0 ? pidN : null;
      const domain = normDomain(known(doc.domain));
      const reason = known(doc.reason);
      const docker = isObj(doc.docker) ? doc.docker : null;
      const image = docker ? known(docker.containerImage) : null;
      const common = { line, raw };
      if (protocol === 'dns') {
        if (!domain) return w.warn(line, 'Bullfrog DNS entry without a domain: skipped');
        sink.dns({ ts, domain, type: null, answers: [], pid, ...common });
        if (status === 'blocked') {
          sink.detection({
            det_id: null, kind: 'blocked-call', severity: 'high',
            title: `DNS query for ${domain} blocked by Bullfrog${reason ? ` (${reason})` : ''}`, ts, endpoint: null, pid, ...common,
          });
        }
        return;
      }
      const ip = known(doc.dstIP);
      const port = asInt(known(doc.dstPort));
      if (!ip && !domain) return w.warn(line, 'Bullfrog entry without dstIP or domain: skipped');
      if (port === null) return w.warn(line, 'Bullfrog entry without a numeric dstPort: skipped');
      sink.network({
        ts, pid, process: known(doc.processName), domain, ip, port, protocol: protocol === 'udp' ? 'udp' : 'tcp', status,
        http: null, policy: reason ? { reason } : null, tool: image ? { name: image } : null,
        command_line: known(doc.commandLine), exe: known(doc.executablePath), ...common,
      });
    });
    w.flush();
  },
};
