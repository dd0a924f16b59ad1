/**
 * Harden-Runner (step-security/agent) output lines: the agent writes `/home/agent/agent.log`, each line prefixed by
 * its own clock in RFC 1123 form (`Wed, 17 Jun 2026 08:40:37 GMT:`), and the post step prints that log into the
 * job log. `scanLogLine` turns one such line into records; the GitHub log importer calls it for every log line,
 * and the standalone agent-log importer (harden-runner.ts) for every line of an agent.log. The event's time is the
 * agent's prefix (second precision), never the job log line's time; a message without the prefix takes `logTs`.
 *
 *   domain resolved: D., ip address: IP, TTL: N                         -> DnsRecord
 *   endpoint called ip address:port IP:PORT, domain: D., pid: P, process: NAME -> NetworkRecord (allowed)
 *   ip address dropped: IP[, reason: R]                                   -> NetworkRecord (blocked, port 0 = unknown)
 *   [Source code overwritten] file: F syscall: S by exe: E [SHA256] Timestamp: T
 *                                                                         -> FileEventRecord overwrite + DetectionRecord source-overwrite
 *   sudo process started: Exe: E, Arguments: [..]                         -> DetectionRecord suspicious-process
 *                                                                            (+ ProcessEventRecord exec when the line carries a pid)
 *
 * Cheap on other lines: a non-agent line costs a couple of character tests before any regular expression runs.
 */
import type { RecordSink } from '../types';
import type { Nanos } from '../../../shared/time';
import { basename, normDomain, splitCommandLine } from '../kit';

export type EmbeddedSink = Pick<RecordSink, 'network' | 'dns' | 'fileEvent' | 'processEvent' | 'detection'>;

const MONTHS: Record<string, number> = {
  Jan: 1, Feb: 2, Mar: 3, Apr: 4, May: 5, Jun: 6, Jul: 7, Aug: 8, Sep: 9, Oct: 10, Nov: 11, Dec: 12,
};
const PREFIX =
  /^\s*(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), (\d{1,2}) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) (\d{4}) (\d{2}):(\d{2}):(\d{2}) (GMT|UTC|Z|[+-]\d{4}):\s?/;

/** Parse the agent's RFC 1123 prefix; returns its time and where the message starts, or null. */
export function parseAgentPrefix(text: string): { ts: Nanos; rest: number } | null {
  const m = PREFIX.exec(text);
  if (!m) return null;
  const [, d, mon, y, hh, mm, ss, zone] = m;
  let off = 0;
  if (zone!.length === 5) off = (zone![0] === '-' ? -1 : 1) * (Number(zone!.slice(1, 3)) * 3600 + Number(zone!.slice(3)) * 60);
  const ms = Date.UTC(Number(y), MONTHS[mon!]! - 1, Number(d), Number(hh), Number(mm), Number(ss));
  if (!Number.isFinite(ms)) return null;
  return { ts: (BigInt(ms / 1000) - BigInt(off)) * 1_000_000_000n, rest: m[0].length };
}

/** First characters of the messages the agent writes (after the prefix), for the no-prefix fast path. */
const STARTS = ['domain resolved:', 'endpoint called', 'ip address dropped:', '[Source code overwritten]', 'sudo process started'];

function looksLikeAgentLine(text: string): boolean {
  // Skip up to 4 leading spaces; an agent prefix has a 3-letter day then ", ".
  let i = 0;
  while (i < 4 && text.charCodeAt(i) === 32) i++;
  if (text.charCodeAt(i + 3) === 44 && text.charCodeAt(i + 4) === 32) return true;
  const c = text.charCodeAt(i);
  // d e i [ s
  if (c !== 100 && c !== 101 && c !== 105 && c !== 91 && c !== 115) return false;
  for (const s of STARTS) if (text.startsWith(s, i)) return true;
  return false;
}

const RE_DNS = /^domain resolved:\s*(\S*?)\.?,\s*ip address:\s*([0-9A-Fa-f:.]+)(?:,\s*TTL:\s*(\d+))?/;
const RE_CALL = /^endpoint called ip address:port\s+(\S+?),?\s*(?:domain:\s*([^,]*?)\s*(?:,|$))?\s*(?:pid:\s*(\d+)\s*(?:,|$))?\s*(?:process:\s*(.*?))?\s*$/;
const RE_DROP = /^ip address dropped:\s*([0-9A-Fa-f:.[\]]+?)(?::(\d+))?(?:,\s*reason:\s*(.*))?\s*$/;
const RE_OVERWRITE =
  /^\[Source code overwritten\]\s*file:\s*(.+?)\s+syscall:\s*(\S+)\s+by exe:\s*(.+?)(?:\s+\[([0-9A-Fa-f]{64})\])?(?:\s+Timestamp:\s*(.*))?\s*$/;
const RE_SUDO = /^sudo process started:\s*Exe:\s*([^,]*?)\s*(?:,\s*Arguments:\s*\[(.*)\])?(?:,\s*(?:pid|Pid|PID):\s*(\d+))?\s*$/;

/** Split `IP:PORT` (IPv4, `[v6]:port`, or bare v6 with the port after the last colon). */
function splitHostPort(s: string): { ip: string; port: number } | null {
  let m = /^\[([^\]]+)\]:(\d+)$/.exec(s);
  if (m) return { ip: m[1]!, port: Number(m[2]) };
  m = /^(.*):(\d+)$/.exec(s);
  if (m && m[1]) return { ip: m[1], port: Number(m[2]) };
  return null;
}

/**
 * Look at one log line (plain text: ANSI stripped, GitHub timestamp removed). When it is a Harden-Runner agent
 * line, emit its records and return true; otherwise return false (and cost almost nothing).
 */
export function scanLogLine(plainText: string, lineNo: number | null, logTs: Nanos | null, sink: EmbeddedSink): boolean {
  if (plainText.length < 16 || !looksLikeAgentLine(plainText)) return false;
  const pre = parseAgentPrefix(plainText);
  let msg: string;
  let ts: Nanos | null;
  if (pre) {
    msg = plainText.slice(pre.rest).trimEnd();
    ts = pre.ts;
  } else {
    msg = plainText.trim();
    ts = logTs;
  }
  if (ts === null) return false;
  const raw = plainText;
  const line = lineNo;
  let m: RegExpExecArray | null;
  switch (msg.charCodeAt(0)) {
    case 100: // d
      if ((m = RE_DNS.exec(msg))) {
        const domain = normDomain(m[1]);
        if (!domain) return false;
        const ip = m[2]!;
        sink.dns({ ts, domain, type: ip.includes(':') ? 'AAAA' : 'A', answers: [ip], pid: null, line, raw });
        return true;
      }
      return false;
    case 101: // e
      if ((m = RE_CALL.exec(msg))) {
        const hp = splitHostPort(m[1]!);
        if (!hp) return false;
        let proc = m[4] ? m[4].trim() : null;
        if (proc && proc.endsWith('.')) proc = proc.slice(0, -1);
        sink.network({
          ts, pid: m[3] ? Number(m[3]) : null, process: proc || null, domain: normDomain(m[2]), ip: hp.ip, port: hp.port,
          protocol: '', status: 'allowed', http: null, policy: null, tool: null, line, raw, // the agent names no protocol: none asserted
        });
        return true;
      }
      return false;
    case 105: // i
      if ((m = RE_DROP.exec(msg))) {
        const ip = m[1]!.replace(/^\[|\]$/g, '');
        sink.network({
          ts, pid: null, process: null, domain: null, ip, port: m[2] ? Number(m[2]) : 0, protocol: '', status: 'blocked',
          http: null, policy: m[3] ? { reason: m[3].trim() } : null, tool: null, line, raw,
        });
        return true;
      }
      return false;
    case 91: // [
      if ((m = RE_OVERWRITE.exec(msg))) {
        const path = m[1]!;
        const exe = m[3]!;
        const sha = m[4] ? m[4].toLowerCase() : null;
        sink.fileEvent({ ts, pid: null, exe, path, op: 'overwrite', sha256: sha, line, raw });
        sink.detection({
          det_id: null, kind: 'source-overwrite', severity: 'high', title: `Source code overwritten: ${path} (${m[2]} by ${exe})`,
          ts, endpoint: null, pid: null, line, raw,
        });
        return true;
      }
      return false;
    case 115: // s
      if ((m = RE_SUDO.exec(msg))) {
        const exe = m[1]!.trim();
        const args = m[2] !== undefined ? splitCommandLine(m[2]) : null;
        const pid = m[3] ? Number(m[3]) : null;
        if (pid !== null) {
          sink.processEvent({ ts, event: 'exec', pid, exe: exe || null, args, origin: 'events', line, raw });
        }
        sink.detection({
          det_id: null, kind: 'suspicious-process', severity: 'medium',
          title: `sudo process started: ${[exe, ...(args ?? []).slice(args?.[0] === exe || args?.[0] === basename(exe) ? 1 : 0)].join(' ')}`.trim(),
          ts, endpoint: null, pid, line, raw,
        });
        return true;
      }
      return false;
  }
  return false;
}
