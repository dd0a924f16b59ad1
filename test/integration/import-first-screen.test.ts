/**
 * First screen first: while a big bundle imports, the partial case is readable (its log lines and steps, with a
 * state saying what is not ready), the case path holds nothing until the import is complete, and an interrupted
 * import leaves neither a case nor its partial file.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeBundle, type BundleInfo } from '../../bench/gen-data';
import { openCaseReadOnly } from '../../electron/db/open';
import { importState, openPartialCase } from '../../electron/import/partial-case';
import { ImportCancelledError, runImport, type ImportProgress } from '../../electron/import/run-import';
import { logWindow } from '../../electron/queries/log-window';
import { tempDir } from './import-helpers';

let work: string;
let bundle: BundleInfo;
beforeAll(() => {
  work = tempDir('rl-first-screen-');
  bundle = writeBundle(path.join(work, 'bundle'), { calls: 20_000, processes: 500, logLines: 60_000 });
});
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

interface Seen {
  state: string;
  lines: number;
  steps: number;
  firstText: string;
  caseExists: boolean;
}

function look(partial: string, casePath: string): Seen {
  const db = openPartialCase(partial);
  try {
    const page = logWindow(db, { offset: 0, limit: 50 } as Parameters<typeof logWindow>[1]);
    return {
      state: importState(db),
      lines: Number((db.prepare('SELECT count(*) AS n FROM log_lines').get() as { n: number }).n),
      steps: Number((db.prepare('SELECT count(*) AS n FROM steps').get() as { n: number }).n),
      firstText: page.rows[0]?.raw ?? '',
      caseExists: fs.existsSync(casePath),
    };
  } finally {
    db.close();
  }
}

describe('first screen first', () => {
  it('the log and steps are readable from the partial case long before the import ends; complete only at the end', async () => {
    const casePath = path.join(work, 'case.runlens');
    let first: Seen | null = null;
    let partial: string | null = null;
    const phasesAfter: string[] = [];
    await runImport({
      inputs: [bundle.dir],
      casePath,
      onProgress: (p: ImportProgress) => {
        if (p.partial && !first) {
          partial = p.partial;
          first = look(p.partial, casePath);
        } else if (first) phasesAfter.push(p.phase);
      },
    });
    expect(first).not.toBeNull();
    const f = first!;
    expect(f.state).toBe('loading');
    expect(f.caseExists).toBe(false);
    expect(f.lines).toBeGreaterThan(0);
    expect(f.lines).toBeLessThan(bundle.expected.log_lines); // the rest still to come
    expect(f.steps).toBeGreaterThan(0); // the manifest's steps
    expect(f.firstText.length).toBeGreaterThan(0);
    expect(phasesAfter).toContain('finalizing'); // analysis, FTS and the calls came after the first screen
    expect(fs.existsSync(partial!)).toBe(false); // renamed into place
    const db = openCaseReadOnly(casePath);
    expect(importState(db)).toBe('complete');
    expect(Number((db.prepare('SELECT count(*) AS n FROM log_lines').get() as { n: number }).n)).toBe(bundle.expected.log_lines);
    db.close();
  });

  it('an import cancelled after its first screen leaves no case and no partial file', async () => {
    const casePath = path.join(work, 'cancelled.runlens');
    const ac = new AbortController();
    let partial: string | null = null;
    let state: string | null = null;
    const run = runImport({
      inputs: [bundle.dir],
      casePath,
      signal: ac.signal,
      onProgress: (p) => {
        if (p.partial && !partial) {
          partial = p.partial;
          state = look(p.partial, casePath).state;
          ac.abort();
        }
      },
    });
    await expect(run).rejects.toBeInstanceOf(ImportCancelledError);
    expect(state).toBe('loading');
    expect(fs.existsSync(casePath)).toBe(false);
    expect(fs.existsSync(partial!)).toBe(false);
    expect(fs.readdirSync(work).filter((f) => f.startsWith('cancelled.runlens'))).toEqual([]);
  });
});
