/** The GitHub Actions job log importer (`gha-log`): sniff in sniff.ts, streaming read in read-log.ts. */
import type { Importer } from '../types';
import { readGhaLog } from './read-log';
import { sniffGhaLog } from './sniff';

export const ghaLogImporter: Importer = {
  format: 'gha-log',
  sniff: sniffGhaLog,
  read: (file, stream, sink, ctx) => readGhaLog(file, stream, sink, ctx),
};

export { finalizeLogs } from './finalize-logs';
export { placeLogFile } from './paths';
