/**
 * The real-world telemetry importers, one per format, all behind the one Importer interface. The registry
 * (electron/import/registry.ts) offers every file to every importer's `sniff` and picks the highest score.
 * Scores are 0..1: 0.9–0.95 for an unmistakable content match, 0.4–0.7 for a plausible one, 0.05 for a file this
 * module could read but another importer owns (the bundle's own process-table.csv header).
 */
import type { Importer } from '../types';
import { auditdImporter } from './auditd';
import { bullfrogImporter } from './bullfrog';
import { falcoImporter } from './falco';
import { hardenRunnerAgentLogImporter, hardenRunnerConfigImporter } from './harden-runner';
import { processTableImporter } from './process-table';
import { straceImporter } from './strace';
import { tetragonImporter } from './tetragon';
import { traceeImporter } from './tracee';

export { scanLogLine } from './log-embedded';

export const formatImporters: Importer[] = [
  hardenRunnerAgentLogImporter,
  hardenRunnerConfigImporter,
  tetragonImporter,
  falcoImporter,
  traceeImporter,
  auditdImporter,
  straceImporter,
  bullfrogImporter,
  processTableImporter,
];
