/**
 * The import layer's crafted hostile inputs (test/fixtures/hostile/import-*), written byte for byte by this file so
 * that anyone can see how each was made: `npx tsx test/support/import-fixtures.ts` rewrites them (the committed
 * files are what the tests read; test/integration/import-hostile.test.ts checks they still match this recipe).
 * Also a raw zip writer (stored members, no data descriptors) for archives no library would write: a wrong CRC-32,
 * a million empty members.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';

export const HOSTILE_DIR = fileURLToPath(new URL('../fixtures/hostile', import.meta.url));

export interface RawZipEntry {
  name: string;
  data: Buffer;
  /** Stored CRC-32 (default: the right one). */
  crc?: number;
}

/** A zip written by hand: stored members, sizes and CRC in the headers, one central directory. */
export function rawZip(entries: Iterable<RawZipEntry>): Buffer {
  const local: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  let count = 0;
  let centralBytes = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name, 'utf8');
    const crc = e.crc ?? zlib.crc32(e.data);
    const lh = Buffer.alloc(30);
    lh.writeUInt32LE(0x04034b50, 0);
    lh.writeUInt16LE(20, 4); // version needed
    lh.writeUInt16LE(0x0800, 6); // UTF-8 names
    lh.writeUInt16LE(0, 8); // stored
    lh.writeUInt32LE(0x00210000, 10); // 1980-01-01 00:00
    lh.writeUInt32LE(crc >>> 0, 14);
    lh.writeUInt32LE(e.data.length, 18);
    lh.writeUInt32LE(e.data.length, 22);
    lh.writeUInt16LE(name.length, 26);
    lh.writeUInt16LE(0, 28);
    local.push(lh, name, e.data);
    const ch = Buffer.alloc(46);
    ch.writeUInt32LE(0x02014b50, 0);
    ch.writeUInt16LE((3 << 8) | 20, 4); // made by Unix
    ch.writeUInt16LE(20, 6);
    ch.writeUInt16LE(0x0800, 8);
    ch.writeUInt16LE(0, 10);
    ch.writeUInt32LE(0x00210000, 12);
    ch.writeUInt32LE(crc >>> 0, 16);
    ch.writeUInt32LE(e.data.length, 20);
    ch.writeUInt32LE(e.data.length, 24);
    ch.writeUInt16LE(name.length, 28);
    ch.writeUInt32LE((0o100644 << 16) >>> 0, 38); // regular file
    ch.writeUInt32LE(offset, 42);
    central.push(ch, name);
    centralBytes += 46 + name.length;
    offset += 30 + name.length + e.data.length;
    count++;
  }
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(Math.min(count, 0xffff), 8);
  eocd.writeUInt16LE(Math.min(count, 0xffff), 10);
  eocd.writeUInt32LE(centralBytes, 12);
  eocd.writeUInt32LE(offset, 16);
  if (count > 0xffff) {
    // ZIP64 end of central directory record + locator: the only way to say "more than 65 535 members".
    const z = Buffer.alloc(56);
    z.writeUInt32LE(0x06064b50, 0);
    z.writeBigUInt64LE(44n, 4);
    z.writeUInt16LE(45, 12);
    z.writeUInt16LE(45, 14);
    z.writeBigUInt64LE(BigInt(count), 24);
    z.writeBigUInt64LE(BigInt(count), 32);
    z.writeBigUInt64LE(BigInt(centralBytes), 40);
    z.writeBigUInt64LE(BigInt(offset), 48);
    const loc = Buffer.alloc(20);
    loc.writeUInt32LE(0x07064b50, 0);
    loc.writeBigUInt64LE(BigInt(offset + centralBytes), 8);
    loc.writeUInt32LE(1, 16);
    eocd.writeUInt16LE(0xffff, 8);
    eocd.writeUInt16LE(0xffff, 10);
    return Buffer.concat([...local, ...central, z, loc, eocd]);
  }
  return Buffer.concat([...local, ...central, eocd]);
}

const STAMP = (s: number) => `2026-10-14T09:12:${String(s).padStart(2, '0')}.0000000Z`;

const manifest = (repo: string, allowed: string[]) =>
  JSON.stringify({
    format: 'ci-run-bundle',
    version: 1,
    run: { repository: repo, workflow: 'CI', run_id: 1, job: 'test', started_at: '2026-10-14T09:12:03Z', completed_at: '2026-10-14T09:13:53Z' },
    policy: { egress_policy: 'audit', allowed_endpoints: allowed },
  }) + '\n';

const net = (domain: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ ts: '2026-10-14T09:12:06.500Z', pid: 2002, domain, ip: '192.0.2.10', port: 443, protocol: 'tcp', status: 'allowed', ...extra });

/** Every crafted file: name under test/fixtures/hostile/ -> bytes. */
export function importFixtures(): Record<string, Buffer> {
  return {
    // #4: a BOM at the start of the file (stripped) and U+FEFF / U+200B inside hosts (kept, flagged).
    'import-feff-host/manifest.json': Buffer.from(manifest('acme/feff', ['github.com:443'])),
    'import-feff-host/network.jsonl': Buffer.from(
      '\uFEFF' + [net('github.com'), net('git\uFEFFhub.com'), net('api.github.com\u200B', { http: { method: 'GET', host: 'git\u200Bhub.com', path: '/' } })].join('\n') + '\n',
    ),
    // #9: a GitHub Actions log whose lines end with bare CRs.
    'import-cr-only.log': Buffer.from([1, 2, 3].map((s) => `${STAMP(s)} cr-only line ${s}`).join('\r') + '\r'),
    // #7: 61 KB of gzip that inflates to one stamped line and 63 MiB of empty lines.
    'import-newlines.log.gz': zlib.gzipSync(Buffer.concat([Buffer.from(`${STAMP(1)} before the newlines\n`), Buffer.alloc(63 * 1024 * 1024, 0x0a)]), {
      level: 9,
    }),
    // #7: a zip of 2 000 empty members (the test lowers the entry budget; a million are made at test time).
    'import-entries.zip': rawZip(Array.from({ length: 2000 }, (_, i) => ({ name: `e/${String(i).padStart(4, '0')}`, data: Buffer.alloc(0) }))),
    // #9: network.jsonl stored with a CRC-32 that does not match its bytes.
    'import-crc-bad.zip': rawZip([
      { name: 'manifest.json', data: Buffer.from(manifest('acme/crc', ['github.com:443'])) },
      { name: 'network.jsonl', data: Buffer.from(net('crc.example') + '\n'), crc: 0x12345678 },
    ]),
    // #9: the same, one level down: a zip member (itself a zip) recorded with a wrong CRC-32.
    'import-crc-bad-nested.zip': rawZip([
      { name: 'inner.zip', data: rawZip([{ name: 'network.jsonl', data: Buffer.from(net('nested.example') + '\n') }]), crc: 0xdeadbeef },
    ]),
    // #9: two run bundles in one archive.
    'import-two-manifests.zip': rawZip([
      { name: 'a/manifest.json', data: Buffer.from(manifest('acme/first', ['github.com:443'])) },
      { name: 'a/network.jsonl', data: Buffer.from(net('first.example') + '\n') },
      { name: 'b/manifest.json', data: Buffer.from(manifest('evil/second', ['*:443'])) },
      { name: 'b/network.jsonl', data: Buffer.from(net('second.example') + '\n') },
    ]),
  };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  for (const [rel, bytes] of Object.entries(importFixtures())) {
    const p = path.join(HOSTILE_DIR, rel);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, bytes);
    console.log(`${rel}: ${bytes.length} bytes`);
  }
}
