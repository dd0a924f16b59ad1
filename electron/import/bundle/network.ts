/** `network.jsonl` (bundle v1): one outbound network call per line. Required: ts, ip or domain, port. */
import type { HttpInfo, NetworkRecord } from '../../../shared/model';
import type { Importer } from '../types';
import { Fields, readJsonl, sniffJsonl } from '../kit';

export const bundleNetworkImporter: Importer = {
  format: 'bundle-network',
  sniff(file) {
    return sniffJsonl(file, 'network.jsonl', (o) => 'ts' in o && 'port' in o && ('ip' in o || 'domain' in o) && !('event' in o));
  },
  async read(_file, stream, sink, ctx) {
    await readJsonl(stream, sink, ctx, (o, line, raw) => {
      const f = new Fields(o);
      const ts = f.time('ts', true);
      const ip = f.str('ip');
      const domain = f.str('domain');
      const port = f.int('port', true, 0, 65535);
      const pid = f.int('pid', false, 0);
      const process = f.str('process');
      const protocol = f.str('protocol');
      const status = f.str('status');
      let http: HttpInfo | null = null;
      const h = f.nested('http');
      if (h) {
        http = {
          method: h.str('method') ?? null,
          host: h.str('host') ?? null,
          path: h.str('path') ?? null,
          status_code: h.int('status_code', false, 0, 999) ?? null,
        };
      }
      const p = f.nested('policy');
      const policy = p ? { matched: p.str('matched'), reason: p.str('reason') } : null;
      const t = f.nested('tool');
      const tool = t ? { name: t.str('name'), sha256: t.str('sha256') } : null;
      if (f.problem) return f.problem;
      if (!ip && !domain) return 'missing required field "ip" or "domain"';
      const rec: NetworkRecord = {
        line,
        raw,
        ts: ts!,
        pid: pid ?? null,
        process: process ?? null,
        domain: domain ?? null,
        ip: ip ?? null,
        port: port!,
        protocol: protocol ?? 'tcp',
        status: status ?? 'allowed',
        http,
        policy: policy ? stripUndefined(policy) : null,
        tool: tool ? stripUndefined(tool) : null,
      };
      sink.network(rec);
      return null;
    });
  },
};

function stripUndefined<T extends Record<string, unknown>>(o: T): T {
  for (const k of Object.keys(o)) if (o[k] === undefined) delete o[k];
  return o;
}
