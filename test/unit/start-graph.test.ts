/**
 * Benchmark 7's path starts two pieces of code whose module start-up is on it: the CLI's entry, which starts serve's
 * import worker before the commands load (cli/serve-early.ts), and the import worker's job, which reads the log's
 * first lines once its modules are initialised. Neither may initialise heavy modules it does not need then: the
 * modules reached by static imports (what esbuild initialises with the module; `require` inside a function is lazy),
 * read from esbuild's own metafile of the real build's entries.
 */
import path from 'node:path';
import { build, type Metafile } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import { NODE_BUNDLE_OPTIONS, NODE_ENTRIES, ROOT } from '../../scripts/build-node.mjs';

let meta: Metafile;

beforeAll(async () => {
  const r = await build({
    entryPoints: [path.join(ROOT, NODE_ENTRIES.cli), path.join(ROOT, NODE_ENTRIES['import-worker'])],
    outdir: path.join(ROOT, '.cache', 'start-graph'),
    ...NODE_BUNDLE_OPTIONS, // the build's own
    metafile: true,
    write: false,
    logLevel: 'silent',
  });
  meta = r.metafile;
}, 60_000);

/** Every input reached from `from` by static imports only. */
function staticGraph(from: string): Set<string> {
  const seen = new Set<string>();
  const todo = [from];
  while (todo.length) {
    const p = todo.pop()!;
    if (seen.has(p)) continue;
    seen.add(p);
    for (const i of meta.inputs[p]?.imports ?? []) if (i.kind === 'import-statement' && !i.external) todo.push(i.path);
  }
  return seen;
}

const key = (rel: string) => {
  const k = Object.keys(meta.inputs).find((p) => p === rel || p.endsWith('/' + rel));
  if (!k) throw new Error(`${rel} is not in the build`);
  return k;
};
const named = (g: Set<string>, re: RegExp) => [...g].filter((p) => re.test(p));

describe('what starts on the first screen path', () => {
  it("the import job initialises no schema library, YAML reader or the API's schemas before it reads", () => {
    const g = staticGraph(key('electron/import/worker.ts'));
    expect(g.has(key('electron/import/run-import.ts'))).toBe(true); // the walk does reach the import itself
    expect(named(g, /node_modules\/(zod|yaml)\/|shared\/api\.ts|electron\/api\/(?!trace)/)).toEqual([]);
  });

  it("the CLI's entry starts serve's import worker before it initialises the API, the server or the import", () => {
    const g = staticGraph(key('electron/cli/main.ts'));
    expect(g.has(key('electron/cli/serve-early.ts'))).toBe(true);
    expect(named(g, /node_modules\/(zod|yaml|better-sqlite3)\/|shared\/api\.ts|electron\/(serve|queries|analysis)\/|electron\/api\/(?!trace)|run-import/)).toEqual([]);
  });
});
