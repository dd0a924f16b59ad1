/** `files.jsonl` (bundle v1): file events. Required: ts, path, op (write|overwrite|delete|chmod|read; others kept). */
import type { Importer } from '../types';
import { Fields, readJsonl, sniffJsonl } from '../kit';

export const bundleFilesImporter: Importer = {
  format: 'bundle-files',
  sniff(file) {
    return sniffJsonl(file, 'files.jsonl', (o) => 'ts' in o && 'path' in o && 'op' in o);
  },
  async read(_file, stream, sink, ctx) {
    await readJsonl(stream, sink, ctx, (o, line, raw) => {
      const f = new Fields(o);
      const ts = f.time('ts', true);
      const path = f.str('path', true);
      const op = f.str('op', true);
      const pid = f.int('pid', false, 0);
      const exe = f.str('exe');
      const sha256 = f.str('sha256');
      if (f.problem) return f.problem;
      if (!path) return 'field "path" is empty';
      sink.fileEvent({ line, raw, ts: ts!, pid: pid ?? null, exe: exe ?? null, path, op: op!, sha256: sha256 ?? null });
      return null;
    });
  },
};
