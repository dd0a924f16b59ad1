/**
 * Every importer Runlens knows, and `pickImporter`: each file is offered to every importer's `sniff`; the highest
 * score wins (ties: the earlier importer in the list, bundle files first). No score above 0: the file is not
 * recognised (a warning, not an error).
 *
 * Scores are 0..1 (formats/index.ts documents the scale). A score above 1 is read as a percentage (0..100), so an
 * importer written on the other scale still ranks right.
 */
import { bundleImporters } from './bundle/index';
import { formatImporters } from './formats/index';
import { ghaLogImporter } from './gha/index';
import type { Importer, InputFile } from './types';

export const importers: readonly Importer[] = [...bundleImporters, ghaLogImporter, ...formatImporters];

export function normaliseScore(s: number): number {
  if (!Number.isFinite(s) || s <= 0) return 0;
  return s > 1 ? Math.min(s / 100, 1) : s;
}

export interface Pick {
  importer: Importer;
  score: number;
}

/** The best importer for a file, or null. A sniff that throws counts as 0 (and is reported through `onSniffError`). */
export function pickImporter(
  file: InputFile,
  list: readonly Importer[] = importers,
  onSniffError?: (importer: Importer, err: unknown) => void,
): Pick | null {
  let best: Pick | null = null;
  for (const importer of list) {
    let score: number;
    try {
      score = normaliseScore(importer.sniff(file));
    } catch (e) {
      onSniffError?.(importer, e);
      score = 0;
    }
    if (score > 0 && (!best || score > best.score)) best = { importer, score };
  }
  return best;
}

export function notRecognisedMessage(file: InputFile): string {
  return `not recognised: ${file.name}`;
}

/** Format names, for `--offset NAME=…` and help texts. */
export function formatNames(list: readonly Importer[] = importers): string[] {
  return list.map((i) => i.format);
}
