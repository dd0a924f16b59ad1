/** Test helpers for the GitHub log importer: an in-memory RecordSink and ways to feed the importer real bytes. */
import fs from 'node:fs';
import { Readable } from 'node:stream';
import yauzl from 'yauzl';
import type { ImportContext, InputFile } from '../../electron/import/types';
import { ghaLogImporter } from '../../electron/import/gha/index';
import { readGhaLog, type ReadGhaOptions } from '../../electron/import/gha/read-log';

import { MemorySink } from '../support/memory-sink';

export { MemorySink };

export function ctx(): ImportContext {
  return { date: null, signal: new AbortController().signal };
}

export function inputFromBuffer(buf: Buffer, relPath: string, name = relPath): InputFile {
  return { name, relPath, bytes: buf.length, head: buf.subarray(0, 64 * 1024) };
}

/** Import a file from disk through the importer's public interface (sniff must accept it). */
export async function importPath(path: string, relPath: string, sink = new MemorySink()): Promise<MemorySink> {
  const fd = fs.openSync(path, 'r');
  const head = Buffer.alloc(64 * 1024);
  const n = fs.readSync(fd, head, 0, head.length, 0);
  fs.closeSync(fd);
  const file: InputFile = { name: path, relPath, bytes: fs.statSync(path).size, head: head.subarray(0, n) };
  if (ghaLogImporter.sniff(file) <= 0) throw new Error(`sniff refused ${relPath}`);
  await ghaLogImporter.read(file, fs.createReadStream(path, { highWaterMark: 64 * 1024 }), sink, ctx());
  return sink;
}

/** Import bytes (split into small chunks, to cross chunk boundaries) without sniffing. */
export async function importText(
  text: string | Buffer,
  relPath: string,
  opts: ReadGhaOptions = {},
  sink = new MemorySink(),
): Promise<MemorySink> {
  const buf = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  const chunks: Buffer[] = [];
  for (let i = 0; i < buf.length; i += 7) chunks.push(buf.subarray(i, i + 7));
  await readGhaLog(inputFromBuffer(buf, relPath), Readable.from(chunks), sink, ctx(), opts);
  return sink;
}

export function mergeSinks(sinks: MemorySink[]): MemorySink {
  const m = new MemorySink();
  for (const s of sinks) {
    m.steps.push(...s.steps);
    m.lines.push(...s.lines);
    m.nets.push(...s.nets);
    m.warnings.push(...s.warnings);
  }
  return m;
}

/** Read every file member of a real zip with yauzl; members the importer sniffs as GitHub logs are imported, one sink each. */
export async function importZip(
  zipPath: string,
): Promise<{ taken: { name: string; sink: MemorySink }[]; refused: string[] }> {
  const taken: { name: string; sink: MemorySink }[] = [];
  const refused: string[] = [];
  const zip = await new Promise<yauzl.ZipFile>((res, rej) =>
    yauzl.open(zipPath, { lazyEntries: true, autoClose: false, decodeStrings: true, strictFileNames: false }, (e, z) =>
      e ? rej(e) : res(z!),
    ),
  );
  const entries: yauzl.Entry[] = [];
  await new Promise<void>((res, rej) => {
    zip.on('entry', (e: yauzl.Entry) => {
      entries.push(e);
      zip.readEntry();
    });
    zip.on('end', () => res());
    zip.on('error', rej);
    zip.readEntry();
  });
  try {
    for (const e of entries) {
      if (e.fileName.endsWith('/')) continue;
      const buf = await new Promise<Buffer>((res, rej) =>
        zip.openReadStream(e, (err, st) => {
          if (err) return rej(err);
          const parts: Buffer[] = [];
          st!.on('data', (c: Buffer) => parts.push(c));
          st!.on('end', () => res(Buffer.concat(parts)));
          st!.on('error', rej);
        }),
      );
      const file = inputFromBuffer(buf, e.fileName, `${zipPath}!/${e.fileName}`);
      if (ghaLogImporter.sniff(file) > 0) {
        const sink = new MemorySink();
        await ghaLogImporter.read(file, Readable.from([buf]), sink, ctx());
        taken.push({ name: e.fileName, sink });
      } else refused.push(e.fileName);
    }
  } finally {
    zip.close();
  }
  return { taken, refused };
}
