/** `processes.jsonl` (bundle v1): process exec and exit events. Required: ts, event (exec|exit), pid. */
import type { Importer } from '../types';
import { Fields, readJsonl, sniffJsonl } from '../kit';

export const bundleProcessesImporter: Importer = {
  format: 'bundle-processes',
  sniff(file) {
    return sniffJsonl(file, 'processes.jsonl', (o) => 'ts' in o && 'pid' in o && (o.event === 'exec' || o.event === 'exit'));
  },
  async read(_file, stream, sink, ctx) {
    await readJsonl(stream, sink, ctx, (o, line, raw) => {
      const f = new Fields(o);
      const ts = f.time('ts', true);
      const event = f.str('event', true);
      const pid = f.int('pid', true, 0);
      const ppid = f.int('ppid', false, 0);
      const exe = f.str('exe');
      const args = f.strArray('args');
      const cwd = f.str('cwd');
      const uid = f.int('uid', false, 0);
      const exitCode = f.int('exit_code');
      const key = f.str('key');
      const parentKey = f.str('parent_key');
      if (f.problem) return f.problem;
      if (event !== 'exec' && event !== 'exit') return `field "event" must be "exec" or "exit", got ${JSON.stringify(event)}`;
      sink.processEvent({
        line,
        raw,
        ts: ts!,
        event,
        pid: pid!,
        ppid: ppid ?? null,
        exe: exe ?? null,
        args: args ?? null,
        cwd: cwd ?? null,
        uid: uid ?? null,
        exit_code: exitCode ?? null,
        key: key ?? null,
        parent_key: parentKey ?? null,
        origin: 'events',
      });
      return null;
    });
  },
};
