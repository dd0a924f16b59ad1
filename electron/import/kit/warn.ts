/**
 * The importer kit, warnings: THE warning policy of every importer. Each problem goes to the sink with its line:
 * the sink notes that line as skipped with the problem as its reason (accounting.ts) and stores at most
 * MAX_WARNINGS_PER_SOURCE (writer.ts) warnings per file, counting the rest in one summary (writer.ts). No importer caps, merges or
 * drops warnings on its own.
 */
import type { RecordSink } from '../types';

/** An importer's warnings, counted (`count`) and passed on to the sink as they come. */
export class Warner {
  private n = 0;
  constructor(private readonly sink: Pick<RecordSink, 'warn'>) {}
  warn(line: number | null, message: string): void {
    this.n++;
    this.sink.warn(line, message);
  }
  get count(): number {
    return this.n;
  }
  /** Kept for callers: the writer says how many warnings were not stored. */
  flush(): void {}
}
