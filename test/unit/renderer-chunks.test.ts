/**
 * First screen first (benchmark 7): the page's entry bundle — what a page opened on a case fetches, parses and runs
 * before the log's first rows — holds the header and the build log, and none of the other panes nor d3; those are
 * chunks loaded after the first rows (renderer/src/layout/later.tsx). Built here with the project's own Vite config
 * (nothing written), then the entry's static import closure is read from Rollup's output.
 */
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { build, type Rollup } from 'vite';

const ROOT = path.resolve(__dirname, '..', '..');
const rel = (id: string) => path.relative(ROOT, id).split(path.sep).join('/');

/** Panes that must not be in the entry (each must still be in the build, as a chunk of its own). */
const LATER = [
  'renderer/src/panes/timeline/TimelinePane.tsx',
  'renderer/src/panes/process-tree/ProcessTreePane.tsx',
  'renderer/src/panes/NetworkTable.tsx',
  'renderer/src/panes/Details.tsx',
  'renderer/src/panes/compare/ComparePanel.tsx',
  'renderer/src/panes/FindingsPane.tsx',
  'renderer/src/panes/NotesPane.tsx',
  'renderer/src/panes/lists/SqlPane.tsx',
];

describe('renderer bundle split', () => {
  it('the entry holds the build log and no other pane nor d3; those are lazy chunks', async () => {
    const result = (await build({
      configFile: path.join(ROOT, 'vite.config.ts'),
      logLevel: 'silent',
      build: { write: false, sourcemap: false, outDir: path.join(os.tmpdir(), 'runlens-chunks-unwritten') },
    })) as Rollup.RollupOutput | Rollup.RollupOutput[];
    const output = (result as Rollup.RollupOutput).output;
    const chunks = output.filter((o): o is Rollup.OutputChunk => o.type === 'chunk');
    const byName = new Map(chunks.map((c) => [c.fileName, c]));
    const entries = chunks.filter((c) => c.isEntry);
    expect(entries).toHaveLength(1);

    // The entry and everything it imports statically: what runs before the first rows.
    const first = new Set<string>();
    const walk = (c: Rollup.OutputChunk) => {
      if (first.has(c.fileName)) return;
      first.add(c.fileName);
      c.imports.forEach((f) => byName.get(f) && walk(byName.get(f)!));
    };
    walk(entries[0]!);
    const firstModules = [...first].flatMap((f) => byName.get(f)!.moduleIds.map(rel));
    const laterModules = chunks.filter((c) => !first.has(c.fileName)).flatMap((c) => c.moduleIds.map(rel));

    expect(firstModules).toContain('renderer/src/panes/BuildLog.tsx');
    expect(firstModules).toContain('renderer/src/state/first-screen.ts');
    for (const m of LATER) {
      expect(firstModules, `${m} is in the first screen's bundle`).not.toContain(m);
      expect(laterModules, `${m} is in no chunk`).toContain(m);
    }
    const d3 = (ids: string[]) => ids.filter((id) => /node_modules\/d3(-[a-z]+)?\//.test(id));
    expect(d3(firstModules)).toEqual([]);
    expect(d3(laterModules).length).toBeGreaterThan(0);

    // The page names only the entry script and one stylesheet (a pane never shows unstyled: cssCodeSplit off).
    const html = output.find((o) => o.fileName === 'index.html') as Rollup.OutputAsset;
    const refs = [...String(html.source).matchAll(/(?:src|href)="\.\/(assets\/[^"]+)"/g)].map((m) => m[1]!);
    expect(refs.filter((r) => r.endsWith('.js'))).toEqual([entries[0]!.fileName]);
    expect(refs.filter((r) => r.endsWith('.css'))).toHaveLength(1);
    expect(output.filter((o) => o.fileName.endsWith('.css'))).toHaveLength(1);
  });
});
