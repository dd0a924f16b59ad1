/** Recognising archives by their bytes, never by their names; peeking into gzip data. */
import * as fs from 'node:fs';
import * as fsp from 'node:fs/promises';
import * as zlib from 'node:zlib';
import { quiet } from './streams';

export function isZipMagic(b: Buffer): boolean {
  return b.length >= 4 && b[0] === 0x50 && b[1] === 0x4b && ((b[2] === 3 && b[3] === 4) || (b[2] === 5 && b[3] === 6));
}
export function isGzipMagic(b: Buffer): boolean {
  return b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b;
}
/** A tar header block: `ustar` magic, or an old-style header with a valid checksum. */
export function isTarHeader(b: Buffer): boolean {
  if (b.length < 512) return false;
  if (b.toString('latin1', 257, 262) === 'ustar') return true;
  const field = b.toString('latin1', 148, 156).replace(/[\0 ]+$/g, '').trim();
  if (!/^[0-7]+$/.test(field)) return false;
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 0x20 : b[i]!;
  return sum === parseInt(field, 8) && b[0] !== 0;
}

export async function readMagic(file: string, n = 512): Promise<Buffer> {
  const fh = await fsp.open(file, 'r');
  try {
    const buf = Buffer.alloc(n);
    const { bytesRead } = await fh.read(buf, 0, n, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

/** ISIZE from the gzip trailer: the uncompressed size modulo 2^32 (right for anything under the 4 GiB cap). */
export async function gzipDeclaredSize(file: string): Promise<number> {
  const fh = await fsp.open(file, 'r');
  try {
    const { size } = await fh.stat();
    if (size < 18) return -1;
    const b = Buffer.alloc(4);
    await fh.read(b, 0, 4, size - 4);
    return b.readUInt32LE(0);
  } finally {
    await fh.close();
  }
}

export async function peekGunzip(file: string, n: number): Promise<Buffer> {
  const src = quiet(fs.createReadStream(file, { end: 1024 * 1024 }));
  const gz = quiet(zlib.createGunzip());
  const parts: Buffer[] = [];
  let got = 0;
  try {
    src.pipe(gz);
    src.on('error', (e) => gz.destroy(e));
    for await (const c of gz as AsyncIterable<Buffer>) {
      parts.push(c);
      got += c.length;
      if (got >= n) break;
    }
  } catch (e) {
    if (got === 0) throw e;
  } finally {
    src.destroy();
    gz.destroy();
  }
  return Buffer.concat(parts, got).subarray(0, n);
}
