/**
 * Test harness for the format importers: runs an importer over a real file (or bytes) exactly as the ingest layer
 * does — an InputFile with the first 64 KiB as head, a byte stream, a sink — and collects what it emits.
 */
import { createReadStream, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Readable } from 'node:stream';
import type { ImportContext, Importer, InputFile, RecordSink } from '../../electron/import/types';
import type {
  DetectionRecord, DnsRecord, FileEventRecord, LogLineRecord, NetworkRecord, Policy, ProcessEventRecord, RunInfo, StepRecord,
} from '../../shared/model';

export const FIX = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'formats');
export const fixture = (...p: string[]) => path.join(FIX, ...p);

export interface Collected {
  run: RunInfo[];
  policy: Policy[];
  steps: StepRecord[];
  logLines: LogLineRecord[];
  proc: ProcessEventRecord[];
  net: NetworkRecord[];
  dns: DnsRecord[];
  files: FileEventRecord[];
  det: DetectionRecord[];
  warnings: { line: number | null; message: string }[];
}

export function collector(): { sink: RecordSink; out: Collected } {
  const out: Collected = { run: [], policy: [], steps: [], logLines: [], proc: [], net: [], dns: [], files: [], det: [], warnings: [] };
  const sink: RecordSink = {
    run: (r) => out.run.push(r),
    policy: (p) => out.policy.push(p),
    step: (r) => out.steps.push(r),
    logLine: (r) => out.logLines.push(r),
    processEvent: (r) => out.proc.push(r),
    network: (r) => out.net.push(r),
    dns: (r) => out.dns.push(r),
    fileEvent: (r) => out.files.push(r),
    detection: (r) => out.det.push(r),
    warn: (line, message) => out.warnings.push({ line, message }),
  };
  return { sink, out };
}

export function inputFromPath(p: string): InputFile {
  const buf = readFileSync(p);
  return { name: p, relPath: path.basename(p), bytes: statSync(p).size, head: buf.subarray(0, 64 * 1024) };
}

export function inputFromBytes(name: string, data: Buffer | string): InputFile {
  const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  return { name, relPath: name, bytes: buf.length, head: buf.subarray(0, 64 * 1024) };
}

export function ctx(date: bigint | null = null): ImportContext {
  return { date, signal: new AbortController().signal };
}

/** Read a fixture path or bytes with `importer`, in chunks of `chunk` bytes (small chunks test the splitters). */
export async function runImporter(
  importer: Importer,
  src: string | { name: string; data: Buffer | string },
  opts: { date?: bigint | null; chunk?: number } = {},
): Promise<Collected> {
  const { sink, out } = collector();
  let file: InputFile;
  let stream: Readable;
  if (typeof src === 'string') {
    file = inputFromPath(src);
    stream = createReadStream(src, opts.chunk ? { highWaterMark: opts.chunk } : {});
  } else {
    file = inputFromBytes(src.name, src.data);
    const buf = typeof src.data === 'string' ? Buffer.from(src.data, 'utf8') : src.data;
    const size = opts.chunk ?? 65536;
    const parts: Buffer[] = [];
    for (let i = 0; i < buf.length; i += size) parts.push(buf.subarray(i, i + size));
    stream = Readable.from(parts);
  }
  await importer.read(file, stream, sink, ctx(opts.date ?? null));
  return out;
}
