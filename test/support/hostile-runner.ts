/**
 * Child process of test/integration/hostile-corpus.test.ts (run with tsx): imports each corpus file on its own
 * into a case in CASE_DIR (spooling there too), then reads the case back the way the CLI does (case info, steps,
 * findings, one raw record); a `.runlens` file is only opened. One JSON line per file on stdout, with a `start`
 * line before, so the parent knows which file was running if the budget ends the process.
 * argv: <case dir> <file>…
 */
import path from 'node:path';
import { CaseFileError, openCaseReadOnly } from '../../electron/db/open';
import { runImport } from '../../electron/import/run-import';
import { ImportError } from '../../electron/import/types';
import { caseInfo, listFindings, listSteps, rawRecord } from '../../electron/queries/index';

const [caseDir, ...files] = process.argv.slice(2);

function emit(o: Record<string, unknown>): void {
  process.stdout.write(JSON.stringify(o) + '\n');
}

async function one(file: string, i: number): Promise<Record<string, unknown>> {
  if (file.endsWith('.runlens')) {
    try {
      openCaseReadOnly(file).close();
      return { result: 'case-opened' };
    } catch (e) {
      return e instanceof CaseFileError ? { result: 'case-refused', message: (e as Error).message } : { result: 'crash', message: String((e as Error)?.stack ?? e) };
    }
  }
  const casePath = path.join(caseDir!, `c${i}.runlens`);
  let summary;
  try {
    summary = await runImport({ inputs: [file], casePath, tempRoot: path.join(caseDir!, 'spool') });
  } catch (e) {
    const msg = (e as Error)?.message ?? String(e);
    // the errors the CLI turns into one clear line (runImportCli): the importer's and the file system's
    if (e instanceof ImportError || e instanceof CaseFileError || /^E[A-Z]+$/.test(String((e as NodeJS.ErrnoException).code ?? ''))) return { result: 'refused', message: msg };
    return { result: 'crash', message: String((e as Error)?.stack ?? e) };
  }
  try {
    const db = openCaseReadOnly(casePath);
    try {
      caseInfo(db);
      listSteps(db);
      listFindings(db);
      const r = db.prepare('SELECT id FROM network ORDER BY id LIMIT 1').get() as { id: number } | undefined;
      if (r) rawRecord(db, 'network', r.id);
    } finally {
      db.close();
    }
  } catch (e) {
    return { result: 'crash', message: `reading the case back: ${String((e as Error)?.stack ?? e)}` };
  }
  return { result: summary.warnings.length ? 'warned' : 'imported', warnings: summary.warnings.length, firstWarning: summary.warnings[0]?.message ?? null, warningText: summary.warnings.slice(0, 200).map((w) => w.message).join('\n') };
}

void (async () => {
  for (let i = 0; i < files.length; i++) {
    const f = files[i]!;
    emit({ start: f });
    const t0 = performance.now();
    const r = await one(f, i);
    emit({ file: f, ms: Math.round(performance.now() - t0), ...r });
  }
  emit({ done: true });
})();
