/**
 * Hosts with characters a reader cannot see (U+FEFF, zero-width spaces, bidi controls, other format or control
 * characters): the record is stored exactly as written, and the file gets one warning per such record, naming the
 * line and the code points. The warning is stored with the file's source in `warnings` (file, line), where the
 * analysis and the app can read it. (The allow-list matching sees the host as written, invisible characters included.)
 */
import type { DnsRecord, NetworkRecord } from '../../shared/model';
import type { RecordSink } from './types';

/** Control, format (bidi, zero-width, BOM), line/paragraph separators and the other default-ignorable code points. */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Default_Ignorable_Code_Point}]/gu;

/** The invisible code points in `s`, as `U+XXXX`, in order, each once. */
export function invisibleCodePoints(s: string | null | undefined): string[] {
  if (!s) return [];
  const found = s.match(INVISIBLE);
  if (!found) return [];
  return [...new Set(found.map((c) => `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`))];
}

/** The host with each invisible character written as `\u{XXXX}`, so the warning shows what the reader cannot see. */
function visible(s: string): string {
  return s.replace(INVISIBLE, (c) => `\\u{${c.codePointAt(0)!.toString(16).toUpperCase()}}`);
}

function check(sink: RecordSink, line: number | null, hosts: [string, string | null | undefined][]): void {
  for (const [field, host] of hosts) {
    const cps = invisibleCodePoints(host);
    if (cps.length) {
      sink.warn(line, `${field} "${visible(host!)}" holds invisible character(s) ${cps.join(', ')}: stored as written (it is not the host it looks like)`);
    }
  }
}

/** The sink, with network and DNS records' hosts checked before they are written. */
export function flagInvisibleHosts<S extends RecordSink>(sink: S): S {
  const network = sink.network.bind(sink);
  const dns = sink.dns.bind(sink);
  sink.network = (r: NetworkRecord) => {
    check(sink, r.line, [
      ['domain', r.domain],
      ['HTTP host', r.http?.host],
    ]);
    network(r);
  };
  sink.dns = (r: DnsRecord) => {
    check(sink, r.line, [['DNS name', r.domain]]);
    dns(r);
  };
  return sink;
}
