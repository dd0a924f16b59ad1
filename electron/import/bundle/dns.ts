/** `dns.jsonl` (bundle v1): one DNS resolution per line. Required: ts, domain. `answers` defaults to []. */
import type { Importer } from '../types';
import { Fields, readJsonl, sniffJsonl } from '../kit';

export const bundleDnsImporter: Importer = {
  format: 'bundle-dns',
  sniff(file) {
    return sniffJsonl(file, 'dns.jsonl', (o) => 'ts' in o && 'domain' in o && 'answers' in o && !('port' in o));
  },
  async read(_file, stream, sink, ctx) {
    await readJsonl(stream, sink, ctx, (o, line, raw) => {
      const f = new Fields(o);
      const ts = f.time('ts', true);
      const domain = f.str('domain', true);
      const answers = f.strArray('answers');
      const type = f.str('type');
      const pid = f.int('pid', false, 0);
      if (f.problem) return f.problem;
      if (!domain) return 'field "domain" is empty';
      sink.dns({ line, raw, ts: ts!, domain, type: type ?? null, answers: answers ?? [], pid: pid ?? null });
      return null;
    });
  },
};
