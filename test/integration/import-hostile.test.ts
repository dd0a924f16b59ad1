/**
 * The import layer against crafted hostile inputs (issue 11 #4, #7, #9), each a real file in
 * test/fixtures/hostile/import-* (made by test/support/import-fixtures.ts) or made here where it cannot be
 * committed (a FIFO, a million-member zip), imported for real (runImport -> a SQLite case, or openContainer).
 * Every test hashes its inputs (bytes and modification time) before and after: evidence is never changed.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashInputs } from '../../electron/import/case-location';
import { ContainerBombError, openContainer, type ContainerOptions } from '../../electron/import/container';
import { runImport, type ImportSummary } from '../../electron/import/run-import';
import { ImportError } from '../../electron/import/types';
import type { ImportWarning } from '../../shared/model';
import { HOSTILE_DIR, importFixtures } from '../support/import-fixtures';
import { tempDir } from './import-helpers';

const fixture = (name: string) => path.join(HOSTILE_DIR, name);

/** Bytes and mtime of every file under `p` (a file or a folder). */
function fingerprint(p: string): Record<string, string> {
  const out: Record<string, string> = {};
  const visit = (abs: string, rel: string) => {
    const st = fs.lstatSync(abs);
    if (st.isDirectory()) for (const n of fs.readdirSync(abs).sort()) visit(path.join(abs, n), rel ? `${rel}/${n}` : n);
    else if (st.isFile()) out[rel || path.basename(abs)] = `${createHash('sha256').update(fs.readFileSync(abs)).digest('hex')} ${st.mtimeMs} ${st.size}`;
    else out[rel || path.basename(abs)] = `special ${st.mode} ${st.mtimeMs}`;
  };
  visit(p, '');
  return out;
}

/** Run `fn` and check that `inputs` are byte- and time-identical afterwards. */
async function untouched<T>(inputs: string[], fn: () => Promise<T>): Promise<T> {
  const before = inputs.map(fingerprint);
  try {
    return await fn();
  } finally {
    expect(inputs.map(fingerprint)).toEqual(before);
  }
}

let work: string;
let n = 0;
const casePath = () => path.join(work, `case-${++n}.runlens`);
beforeAll(() => {
  work = tempDir('rl-import-hostile-');
});
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

async function importCase(inputs: string[], extra: Partial<Parameters<typeof runImport>[0]> = {}) {
  const cp = casePath();
  const summary = await untouched(inputs, () => runImport({ inputs, casePath: cp, tempRoot: work, ...extra }));
  const db = new Database(cp, { readonly: true });
  return { summary, db, cp };
}

async function collect(input: string, opts: ContainerOptions = {}) {
  const warnings: ImportWarning[] = [];
  const members: string[] = [];
  for await (const e of openContainer(input, { tempRoot: work, ...opts, onWarning: (w) => warnings.push(w) })) {
    members.push(e.file.relPath);
    for await (const _ of e.stream) void _;
  }
  return { warnings, members };
}

describe('the committed fixtures are what the recipe writes', () => {
  it('matches test/support/import-fixtures.ts byte for byte (gzip: its inflated bytes)', () => {
    for (const [rel, bytes] of Object.entries(importFixtures())) {
      const onDisk = fs.readFileSync(fixture(rel));
      if (rel.endsWith('.gz')) expect(zlib.gunzipSync(onDisk).equals(zlib.gunzipSync(bytes)), rel).toBe(true);
      else expect(onDisk.equals(bytes), rel).toBe(true);
    }
  });
});

describe('#4 U+FEFF: stripped only as the file BOM; invisible characters in hosts kept and flagged', () => {
  let summary: ImportSummary;
  let db: Database.Database;
  beforeAll(async () => {
    ({ summary, db } = await importCase([fixture('import-feff-host')]));
  });
  afterAll(() => db.close());

  it('keeps git\\uFEFFhub.com as written, so it is not taken for github.com', () => {
    const rows = db.prepare('SELECT line, domain, http_host, verdict, raw FROM network ORDER BY line').all() as {
      line: number;
      domain: string;
      http_host: string | null;
      verdict: string;
      raw: string;
    }[];
    expect(rows.map((r) => [r.line, r.domain, r.verdict])).toEqual([
      [1, 'github.com', 'allowed'],
      [2, 'git\uFEFFhub.com', 'outside-policy'],
      [3, 'api.github.com\u200B', 'outside-policy'],
    ]);
    expect(rows[2]!.http_host).toBe('git\u200Bhub.com');
  });

  it('stores each raw record exactly as the file has it (the file BOM excepted)', () => {
    const fileLines = fs.readFileSync(fixture('import-feff-host/network.jsonl'), 'utf8').split('\n');
    expect(fileLines[0]!.startsWith('\uFEFF')).toBe(true);
    const raws = db.prepare('SELECT raw FROM network ORDER BY line').pluck().all() as string[];
    expect(raws).toEqual([fileLines[0]!.slice(1), fileLines[1], fileLines[2]]);
  });

  it('warns about each host with an invisible character, naming file, line and code point', () => {
    const inv = summary.warnings.filter((w) => /invisible/.test(w.message));
    expect(inv.map((w) => [path.basename(w.file ?? ''), w.line, w.message.split(' ')[0]])).toEqual([
      ['network.jsonl', 2, 'domain'],
      ['network.jsonl', 3, 'domain'],
      ['network.jsonl', 3, 'HTTP'],
    ]);
    expect(inv[0]!.message).toContain('domain "git\\u{FEFF}hub.com" holds invisible character(s) U+FEFF');
    expect(inv[1]!.message).toMatch(/U\+200B/);
    expect(inv[2]!.message).toContain('HTTP host "git\\u{200B}hub.com"');
    const stored = db.prepare("SELECT line FROM warnings WHERE message LIKE '%invisible%' ORDER BY line").pluck().all();
    expect(stored).toEqual([2, 3, 3]);
  });
});

describe('#9 CR-only files are split into lines', () => {
  it('imports a GitHub log with bare CR line ends as three timed lines', async () => {
    const { db, summary } = await importCase([fixture('import-cr-only.log')]);
    // The per-file accounting counts the same three lines (accounting.ts follows lines.ts's line ends).
    expect(summary.files?.map((f) => [f.lines, f.lines_stored, f.lines_skipped])).toEqual([[3, 3, 0]]);
    const rows = db.prepare('SELECT line, text FROM log_lines ORDER BY seq').all();
    db.close();
    expect(rows).toEqual([
      { line: 1, text: 'cr-only line 1' },
      { line: 2, text: 'cr-only line 2' },
      { line: 3, text: 'cr-only line 3' },
    ]);
  });
});

describe('#7 amplification: lines and archive members count against the budget', () => {
  it('refuses a 61 KB gzip of 63 M empty lines long before reading them all', async () => {
    const input = fixture('import-newlines.log.gz');
    expect(fs.statSync(input).size).toBeLessThan(70 * 1024);
    const cp = casePath();
    const err = await untouched([input], () => runImport({ inputs: [input], casePath: cp, tempRoot: work }).then(() => null, (e: unknown) => e));
    expect(err).toBeInstanceOf(ContainerBombError);
    const m = /(\d+) lines/.exec((err as Error).message);
    expect(m, (err as Error).message).not.toBeNull();
    expect(Number(m![1])).toBeLessThan(1_000_000); // refused within the first million of 63 M lines
    expect((err as Error).message).toMatch(/import-newlines\.log/);
    expect(fs.readdirSync(work).filter((f) => f.startsWith(path.basename(cp)))).toEqual([]);
  });

  it('refuses a zip with more members than the budget before reading any of them', async () => {
    const input = fixture('import-entries.zip');
    const sources: string[] = [];
    const err = await untouched([input], () =>
      collect(input, { maxEntries: 1000, onSource: (s) => sources.push(s.name) }).then(() => null, (e: unknown) => e),
    );
    expect(err).toBeInstanceOf(ContainerBombError);
    expect((err as Error).message).toMatch(/2000 members.*1000/);
    expect(sources).toEqual([input]); // the archive itself; no member was read
    // Within the budget it reads: 2 000 empty members.
    const ok = await collect(input, { maxEntries: 2000 });
    expect(ok.members).toHaveLength(2000);
    // Through the whole import: refused, and no case (or partial) is left behind.
    const cp = casePath();
    await expect(untouched([input], () => runImport({ inputs: [input], casePath: cp, tempRoot: work, limits: { maxEntries: 1000 } }))).rejects.toThrow(
      ContainerBombError,
    );
    expect(fs.readdirSync(work).filter((f) => f.startsWith(path.basename(cp)))).toEqual([]);
  });

  it('refuses a zip of one million empty members from its directory record, without listing them', async () => {
    const input = path.join(work, 'million.zip');
    writeEmptyMembersZip(input, 1_000_000);
    const before = process.memoryUsage().rss;
    const err = await untouched([input], () => collect(input).then(() => null, (e: unknown) => e));
    expect(err).toBeInstanceOf(ContainerBombError);
    expect((err as Error).message).toMatch(/1000000 members/);
    expect(process.memoryUsage().rss - before).toBeLessThan(200 * 1024 * 1024);
    fs.rmSync(input);
  });

  it('counts tar members too', async () => {
    const input = path.join(work, 'many.tar');
    const blocks: Buffer[] = [];
    for (let i = 0; i < 50; i++) blocks.push(tarHeader(`m/${i}`));
    blocks.push(Buffer.alloc(1024));
    fs.writeFileSync(input, Buffer.concat(blocks));
    const err = await untouched([input], () => collect(input, { maxEntries: 20 }).then(() => null, (e: unknown) => e));
    expect(err).toBeInstanceOf(ContainerBombError);
    expect((err as Error).message).toMatch(/more than 20 members/);
  });
});

describe('#9 zip CRC-32 is verified', () => {
  it('warns about the member whose bytes do not match its CRC, and still imports it', async () => {
    const input = fixture('import-crc-bad.zip');
    const { summary, db } = await importCase([input]);
    const domains = db.prepare('SELECT domain FROM network').pluck().all();
    db.close();
    expect(domains).toEqual(['crc.example']);
    const w = summary.warnings.filter((x) => /CRC-32/.test(x.message));
    expect(w).toHaveLength(1);
    expect(w[0]!.file).toBe(`${input}!/network.jsonl`);
    expect(w[0]!.message).toMatch(/12345678/);
  });
});

describe('#9 zip CRC-32 is verified one level down too', () => {
  it('warns about a nested zip whose bytes do not match its CRC, and still reads inside it', async () => {
    const input = fixture('import-crc-bad-nested.zip');
    const { warnings, members } = await untouched([input], () => collect(input));
    expect(members).toEqual(['network.jsonl']);
    expect(warnings.map((w) => [w.file, /CRC-32 mismatch.*deadbeef/.test(w.message)])).toEqual([[`${input}!/inner.zip`, true]]);
  });
});

describe('#9 two manifests in one archive are not mixed', () => {
  it('keeps the first run bundle manifest and warns about the second', async () => {
    const input = fixture('import-two-manifests.zip');
    const { summary, db } = await importCase([input]);
    const meta = (k: string) => JSON.parse(db.prepare('SELECT value FROM meta WHERE key = ?').pluck().get(k) as string);
    const run = meta('run');
    const policy = meta('policy');
    db.close();
    expect(run.repository).toBe('acme/first');
    expect(policy.allowed_endpoints).toEqual(['github.com:443']);
    const w = summary.warnings.filter((x) => /manifest/.test(x.message) && /second/.test(x.message));
    expect(w).toHaveLength(1);
    expect(w[0]!.file).toBe(`${input}!/b/manifest.json`);
    expect(w[0]!.message).toMatch(/a\/manifest\.json/);
  });
});

describe('#9 special files as input are refused, never read', () => {
  it('refuses /dev/zero', async () => {
    await expect(hashInputs(['/dev/zero'])).rejects.toThrow(/not a regular file/);
    await expect(runImport({ inputs: ['/dev/zero'], casePath: casePath() })).rejects.toThrow(ImportError);
    await expect(collect('/dev/zero')).rejects.toThrow(/not a regular file/);
  });

  it('refuses a FIFO nobody writes to (and one reached through a symlink)', async () => {
    const fifo = path.join(work, 'input.fifo');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const link = path.join(work, 'fifo-link.log');
    fs.symlinkSync(fifo, link);
    for (const p of [fifo, link]) {
      await expect(hashInputs([p])).rejects.toThrow(/not a regular file/);
      await expect(runImport({ inputs: [p], casePath: casePath() })).rejects.toThrow(/not a regular file/);
    }
  });

  it('skips a FIFO inside an input folder with a warning', async () => {
    const dir = path.join(work, 'with-fifo');
    fs.mkdirSync(dir);
    fs.copyFileSync(fixture('import-cr-only.log'), path.join(dir, 'job.log'));
    expect(spawnSync('mkfifo', [path.join(dir, 'pipe.log')]).status).toBe(0);
    const { summary, db } = await importCase([dir]);
    expect(db.prepare('SELECT count(*) FROM log_lines').pluck().get()).toBe(3);
    db.close();
    expect(summary.warnings.some((w) => w.file?.endsWith('pipe.log') && /not a regular file/.test(w.message))).toBe(true);
  });
});

describe("#9 killed imports' partial files are swept: only ours, only stale", () => {
  it('removes partials of dead imports beside the case, and nothing else', async () => {
    const dir = path.join(work, 'cases');
    fs.mkdirSync(dir);
    const sqlite = Buffer.concat([Buffer.from('SQLite format 3\0', 'latin1'), Buffer.alloc(4080)]);
    const dead = deadPid();
    const put = (name: string, data: Buffer = sqlite, ageHours = 0) => {
      const p = path.join(dir, name);
      fs.writeFileSync(p, data);
      const t = new Date(Date.now() - ageHours * 3600_000);
      fs.utimesSync(p, t, t);
      return p;
    };
    const swept = [
      put(`a.runlens.partial-${dead}-0123456789ab`, sqlite, 1), // its process is gone, and it has not changed for an hour
      put(`a.runlens.partial-${dead}-0123456789ab-wal`, Buffer.alloc(100), 1),
      put(`a.runlens.partial-${dead}-0123456789ab-calls`, sqlite, 1), // its calls worker's database (calls-side.ts)
      put(`a.runlens.partial-${dead}-0123456789ab-calls-journal`, Buffer.alloc(100), 1),
      put(`a.runlens.partial-${dead}-0123456789ab-fts`, sqlite, 1), // the log's index staged for that worker (log-fts.ts)
      put(`b.runlens.partial-ba9876543210`, sqlite, 48), // older naming, two days old
    ];
    const kept = [
      put(`c.runlens.partial-${process.pid}-0123456789ab`, sqlite, 1), // this process: a worker thread's, maybe running
      put(`c.runlens.partial-${process.pid}-0123456789ab-calls`, sqlite, 1),
      put(`c.runlens.partial-${process.pid}-0123456789ab-fts`, sqlite, 1),
      put(`d.runlens.partial-ba9876543210`), // older naming, fresh: may be running
      put(`h.runlens.partial-${dead}-0123456789ab`), // pid looks dead but the file is fresh (another machine's import?)
      put(`e.runlens.partial-${dead}-0123456789ab`, Buffer.from('not a case at all'), 48), // not SQLite: not ours
      put(`notes.partial-${dead}-0123456789ab.txt`, sqlite, 48), // another name
      put('f.runlens', sqlite, 48),
    ];
    const target = path.join(dir, 'outside.log');
    fs.writeFileSync(target, 'x');
    fs.symlinkSync(target, path.join(dir, `g.runlens.partial-${dead}-0123456789ab`)); // a link: never followed or removed
    kept.push(target);
    const before = Object.fromEntries(kept.map((p) => [p, fingerprint(p)]));
    const cp = path.join(dir, 'new.runlens');
    const s = await untouched([fixture('import-cr-only.log')], () => runImport({ inputs: [fixture('import-cr-only.log')], casePath: cp, tempRoot: work }));
    for (const p of swept) expect(fs.existsSync(p), p).toBe(false);
    for (const p of kept) expect(fingerprint(p), p).toEqual(before[p]);
    expect(fs.lstatSync(path.join(dir, `g.runlens.partial-${dead}-0123456789ab`)).isSymbolicLink()).toBe(true);
    const w = s.warnings.filter((x) => /partial/.test(x.message));
    expect(w).toHaveLength(1);
    expect(w[0]!.message).toMatch(/6 leftover file/);
    expect(fs.readdirSync(dir).filter((f) => f.startsWith('new.runlens'))).toEqual(['new.runlens']);
  });
});

/** A pid that belonged to a process that has exited. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(r.stdout);
}

function tarHeader(name: string): Buffer {
  const h = Buffer.alloc(512);
  h.write(name, 0, 'utf8');
  h.write('0000644\0', 100);
  h.write('0000000\0', 108);
  h.write('0000000\0', 116);
  h.write('00000000000\0', 124); // size 0
  h.write('00000000000\0', 136);
  h.write('        ', 148);
  h.write('0', 156);
  h.write('ustar\0', 257);
  h.write('00', 263);
  let sum = 0;
  for (const b of h) sum += b;
  h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148);
  return h;
}

/** A zip of `count` empty stored members (ZIP64 directory), written in batches: names `0000000`…. */
function writeEmptyMembersZip(file: string, count: number): void {
  const fd = fs.openSync(file, 'w');
  try {
    const nameLen = 7;
    const lhLen = 30 + nameLen;
    const chLen = 46 + nameLen;
    const batch = 10_000;
    for (let i = 0; i < count; i += batch) {
      const k = Math.min(batch, count - i);
      const b = Buffer.alloc(k * lhLen);
      for (let j = 0; j < k; j++) {
        const o = j * lhLen;
        b.writeUInt32LE(0x04034b50, o);
        b.writeUInt16LE(20, o + 4);
        b.writeUInt32LE(0x00210000, o + 10);
        b.writeUInt16LE(nameLen, o + 26);
        b.write(String(i + j).padStart(nameLen, '0'), o + 30, 'latin1');
      }
      fs.writeSync(fd, b);
    }
    for (let i = 0; i < count; i += batch) {
      const k = Math.min(batch, count - i);
      const b = Buffer.alloc(k * chLen);
      for (let j = 0; j < k; j++) {
        const o = j * chLen;
        b.writeUInt32LE(0x02014b50, o);
        b.writeUInt16LE((3 << 8) | 20, o + 4);
        b.writeUInt16LE(20, o + 6);
        b.writeUInt32LE(0x00210000, o + 12);
        b.writeUInt16LE(nameLen, o + 28);
        b.writeUInt32LE((0o100644 << 16) >>> 0, o + 38);
        b.writeUInt32LE((i + j) * lhLen, o + 42);
        b.write(String(i + j).padStart(nameLen, '0'), o + 46, 'latin1');
      }
      fs.writeSync(fd, b);
    }
    const cdOffset = count * lhLen;
    const cdSize = count * chLen;
    const z = Buffer.alloc(56 + 20 + 22);
    z.writeUInt32LE(0x06064b50, 0);
    z.writeBigUInt64LE(44n, 4);
    z.writeUInt16LE(45, 12);
    z.writeUInt16LE(45, 14);
    z.writeBigUInt64LE(BigInt(count), 24);
    z.writeBigUInt64LE(BigInt(count), 32);
    z.writeBigUInt64LE(BigInt(cdSize), 40);
    z.writeBigUInt64LE(BigInt(cdOffset), 48);
    z.writeUInt32LE(0x07064b50, 56);
    z.writeBigUInt64LE(BigInt(cdOffset + cdSize), 64);
    z.writeUInt32LE(1, 72);
    z.writeUInt32LE(0x06054b50, 76);
    z.writeUInt16LE(0xffff, 84);
    z.writeUInt16LE(0xffff, 86);
    z.writeUInt32LE(0xffffffff, 88);
    z.writeUInt32LE(0xffffffff, 92);
    fs.writeSync(fd, z);
  } finally {
    fs.closeSync(fd);
  }
}
