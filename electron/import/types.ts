/**
 * The one importer interface. Every source format (bundle files, GitHub log files, Tetragon, Falco, …) is an
 * `Importer`: `sniff` looks at the head of a file and says how sure it is that the file is its format; `read`
 * streams the file and emits normalized records (shared/model.ts) into the `RecordSink`. Importers never touch
 * the database, the file system or other files: the container layer (container.ts) gives them their bytes, and
 * the sink writes rows.
 */
import type { Readable } from 'node:stream';
import type {
  DetectionRecord,
  DnsRecord,
  FileEventRecord,
  LogLineRecord,
  NetworkRecord,
  Policy,
  ProcessEventRecord,
  RunInfo,
  StepRecord,
} from '../../shared/model';

/** One file to import: a top-level input, a file in a bundle folder, or an archive member. */
export interface InputFile {
  /** Display name: the input path, or `archive.zip!/member/path`. Used in warnings. */
  name: string;
  /** Path relative to the bundle root, '/'-separated (`network.jsonl`, `logs/test/3_Run tests.txt`), or the base name for a lone input. */
  relPath: string;
  /** Size in bytes (uncompressed). */
  bytes: number;
  /** The first bytes of the file (up to 64 KiB), for sniffing. */
  head: Buffer;
}

export interface ImportContext {
  /** Day (UTC midnight, ns) for sources whose timestamps carry only a time of day (`--date`, or the bundle's run). */
  date: bigint | null;
  /** Cancellation: importers check it between records and stop early when it is set. */
  signal: AbortSignal;
}

export interface RecordSink {
  run(info: RunInfo): void;
  policy(p: Policy): void;
  step(r: StepRecord): void;
  logLine(r: LogLineRecord): void;
  processEvent(r: ProcessEventRecord): void;
  network(r: NetworkRecord): void;
  dns(r: DnsRecord): void;
  fileEvent(r: FileEventRecord): void;
  detection(r: DetectionRecord): void;
  /** A problem with this file: `line` is null where no line applies. The file name is added by the sink. */
  warn(line: number | null, message: string): void;
}

export interface Importer {
  /** Format name, shown to users and accepted by `--offset NAME=…` (e.g. `bundle-network`, `gha-log`, `tetragon`). */
  readonly format: string;
  /** 0 = not this format; higher = surer. File names may break ties, but content decides. */
  sniff(file: InputFile): number;
  /** Stream the file's records into the sink. Throw only for a fatal problem with this file (it becomes a warning). */
  read(file: InputFile, stream: Readable, sink: RecordSink, ctx: ImportContext): Promise<void>;
}

/** A fatal problem with the input as a whole (unreadable archive, nothing recognised): the CLI exits 1 with it. */
export class ImportError extends Error {}
