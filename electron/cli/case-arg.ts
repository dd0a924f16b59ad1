/**
 * `<case|bundle>` arguments: a case file is recognised by its `.runlens` name (never by its bytes: see case-file.ts)
 * and must pass the schema check when opened; anything else is a bundle (folder, zip, tar.gz, log file …), imported
 * into the default case location — or answered from the case already there, so asking again is instant.
 */
import { existsSync } from 'node:fs';
import { CaseFileError, CaseUpgradeNeeded, openCaseReadOnly, type Db } from '../db/open';
import { defaultCasePath, hashInputs } from '../import/case-location';
import { runImport, type ImportSummary, type RunImportOptions } from '../import/run-import';
import { ImportError } from '../import/types';
import { isCaseFile } from '../db/case-file';
import { escapeText } from './escape';
import { InputError } from './errors';

export { isCaseFile };

/** Whether `p` is a Runlens case that may be replaced (`import --case … --force`): it passes the schema check. */
export function isRunlensCase(p: string): boolean {
  try {
    openCaseReadOnly(p).close();
    return true;
  } catch (e) {
    return e instanceof CaseUpgradeNeeded;
  }
}

import { mustExist } from './must-exist';

export { mustExist };

export function openCase(p: string): Db {
  try {
    return openCaseReadOnly(p);
  } catch (e) {
    if (e instanceof CaseFileError) throw new InputError(e.message);
    throw e;
  }
}

/** Runs the importer; its errors about the input become InputErrors (exit 1). */
export async function runImportCli(opts: RunImportOptions): Promise<ImportSummary> {
  // Ctrl-C cancels cleanly: the importer removes its partial case file.
  const abort = new AbortController();
  const onSigint = () => abort.abort();
  process.once('SIGINT', onSigint);
  // On a terminal, say what the import is doing (phase changes only; stdout stays for the answer).
  let lastPhase = '';
  const onProgress = process.stderr.isTTY
    ? (p: { phase: string }) => {
        if (p.phase !== lastPhase && p.phase !== 'done') process.stderr.write(`runlens: ${escapeText(p.phase)}…\n`);
        lastPhase = p.phase;
      }
    : undefined;
  try {
    return await runImport({ signal: abort.signal, ...(onProgress ? { onProgress } : {}), ...opts });
  } catch (e) {
    if (e instanceof ImportError || e instanceof CaseFileError) throw new InputError(e.message);
    const err = e as NodeJS.ErrnoException;
    if (err && typeof err.code === 'string' && /^E[A-Z]+$/.test(err.code)) throw new InputError(err.message);
    throw e;
  } finally {
    process.off('SIGINT', onSigint);
  }
}

export async function defaultCaseFor(inputs: string[]): Promise<string> {
  try {
    return defaultCasePath(await hashInputs(inputs));
  } catch (e) {
    throw new InputError(`cannot read ${inputs.join(', ')}: ${(e as Error).message}`);
  }
}

/** Opens `<case|bundle>` read-only, importing a bundle first when its case does not exist yet. */
export async function openCaseOrBundle(arg: string, quiet: boolean): Promise<Db> {
  mustExist(arg);
  if (isCaseFile(arg)) return openCase(arg);
  const casePath = await defaultCaseFor([arg]);
  if (!existsSync(casePath)) {
    const s = await runImportCli({ inputs: [arg], casePath });
    if (!quiet) {
      const w = s.warnings.length;
      process.stderr.write(escapeText(`runlens: imported ${arg} into ${s.case}${w ? ` (${w} warning${w === 1 ? '' : 's'}; see runlens import --json)` : ''}`) + '\n');
    }
    return openCase(s.case || casePath);
  }
  return openCase(casePath);
}
