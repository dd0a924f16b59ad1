/**
 * The importer as the CLI and the app's import runner (electron/api/import-runner.ts) reach it: `runImport`
 * (electron/import/run-import.ts) and the default case location (electron/import/case-location.ts). These started
 * as optional loads while those files were being written; they are plain imports now, and the accessors stay so
 * callers keep working (a null return no longer happens).
 */
import { defaultCasePath, hashInputs } from '../import/case-location';
import { runImport, type ImportSummary, type RunImportOptions } from '../import/run-import';

export type { ImportSummary };
export type ImportOptions = RunImportOptions;

export interface ImportEngine {
  runImport(opts: RunImportOptions): Promise<ImportSummary>;
}

export interface CaseLocation {
  defaultCasePath(inputHashes: string[]): string;
  hashInputs(paths: string[]): Promise<string[]>;
}

export function importEngine(): ImportEngine | null {
  return { runImport };
}

export function caseLocation(): CaseLocation | null {
  return { defaultCasePath: (h) => defaultCasePath(h), hashInputs };
}

/** The inputs' SHA-256 hex digests, in input order. */
export async function inputHashes(loc: CaseLocation, paths: string[]): Promise<string[]> {
  return loc.hashInputs(paths);
}
