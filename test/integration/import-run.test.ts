/** runImport end to end: real bundles (folder, zip, tar.gz with logs.zip) into real SQLite case files. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ContainerBombError } from '../../electron/import/container';
import { ImportCancelledError, runImport, type ImportProgress, type ImportSummary } from '../../electron/import/run-import';
import { ImportError } from '../../electron/import/types';
import { bundleEntries, copyDir, FIXTURE_BUNDLE, makeTar, makeZip, sha256File, snapshotTree, tempDir } from './import-helpers';

const EXPECTED_COUNTS = { network: 4, dns: 2, processes: 7, process_events: 15, log_lines: 15, steps: 4, files: 2 };

let work: string;
let tmpRoot: string;
beforeAll(() => {
  work = tempDir('rl-run-import-');
  tmpRoot = path.join(work, 'tmp');
  fs.mkdirSync(tmpRoot);
});
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

const casePathFor = (name: string) => path.join(work, 'cases', `${name}.runlens`);
const open = (p: string) => new Database(p, { readonly: true, fileMustExist: true });
const leftovers = (p: string) => fs.readdirSync(path.dirname(p)).filter((f) => f.startsWith(path.basename(p)) && f !== path.basename(p));

/** The same bundle with its logs/ folder zipped as logs.zip, as a tar.gz. */
async function tgzWithLogsZip(file: string): Promise<void> {
  const logs = bundleEntries().filter((e) => e.name.startsWith('logs/')).map((e) => ({ ...e, name: e.name.slice('logs/'.length) }));
  const logsZip = path.join(work, `logs-${path.basename(file)}.zip`);
  await makeZip(logsZip, logs);
  await makeTar(file, [...bundleEntries('bundle/', true), { name: 'bundle/logs.zip', data: fs.readFileSync(logsZip) }]);
}

describe('runImport of the fixture bundle', () => {
  let summary: ImportSummary;
  let casePath: string;
  const progress: ImportProgress[] = [];
  let evidenceBefore: Record<string, string>;
  let input: string;

  beforeAll(async () => {
    input = path.join(work, 'evidence', 'bundle');
    copyDir(FIXTURE_BUNDLE, input);
    evidenceBefore = snapshotTree(input);
    casePath = casePathFor('folder');
    summary = await runImport({ inputs: [input], casePath, tempRoot: tmpRoot, onProgress: (p) => progress.push(p) });
  });

  it('returns the counts read back from the case after finalize', () => {
    expect(summary.case).toBe(casePath);
    expect(summary.counts).toEqual(EXPECTED_COUNTS);
    expect(summary.inputs).toEqual([{ path: input, sha256: expect.stringMatching(/^[0-9a-f]{64}$/), bytes: 6673 }]);
  });

  it('writes one self-contained case file and leaves no partial file behind', () => {
    expect(fs.existsSync(casePath)).toBe(true);
    expect(leftovers(casePath)).toEqual([]);
    const db = open(casePath);
    try {
      expect(db.pragma('journal_mode', { simple: true })).toBe('delete');
      expect(db.pragma('user_version', { simple: true })).toBeGreaterThanOrEqual(2);
      const n = (t: string) => (db.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n;
      expect(n('network')).toBe(4);
      expect(n('dns_answers')).toBe(3);
      expect(n('detections')).toBe(1);
    } finally {
      db.close();
    }
  });

  it('keeps nanosecond times, raw records and their source file and line', () => {
    const db = open(casePath);
    try {
      const row = db
        .prepare("SELECT n.ts, n.line, n.raw, s.path, s.member, s.format FROM network n JOIN sources s ON s.id = n.source_id WHERE n.http_method = 'POST'")
        .safeIntegers(true)
        .get() as { ts: bigint; line: bigint; raw: string; path: string; member: string; format: string };
      expect(row.ts).toBe(1791969181700000417n);
      expect(row.line).toBe(2n);
      expect(JSON.parse(row.raw).http.path).toBe('/v2/collect');
      expect(row).toMatchObject({ path: path.join(input, 'network.jsonl'), member: 'network.jsonl', format: 'bundle-network' });
      const args = db.prepare('SELECT args FROM process_events WHERE pid = 5000 AND event = ?').get('exec') as { args: string };
      expect(JSON.parse(args.args)).toEqual(['sh', '-c', 'echo "hello, world" > out.txt']);
    } finally {
      db.close();
    }
  });

  it('records every file read in sources with its hash, under the input folder', () => {
    const db = open(casePath);
    try {
      const rows = db.prepare('SELECT id, parent_id, path, member, format, sha256, bytes FROM sources ORDER BY id').all() as {
        id: number;
        parent_id: number | null;
        path: string;
        member: string | null;
        format: string | null;
        sha256: string;
        bytes: number;
      }[];
      expect(rows[0]).toMatchObject({ parent_id: null, path: input, member: null, format: null, sha256: summary.inputs[0]!.sha256 });
      const members = rows.slice(1);
      expect(members.map((r) => r.member).sort()).toEqual(Object.keys(evidenceBefore).sort());
      for (const r of members) {
        expect(r.parent_id).toBe(rows[0]!.id);
        expect(r.sha256).toBe(evidenceBefore[r.member!]);
        expect(r.bytes).toBe(fs.statSync(path.join(input, r.member!)).size);
      }
      expect(members.filter((r) => r.format === 'gha-log')).toHaveLength(5);
    } finally {
      db.close();
    }
  });

  it('stores run, policy, inputs and import info in meta', () => {
    const db = open(casePath);
    try {
      const meta = Object.fromEntries((db.prepare('SELECT key, value FROM meta').all() as { key: string; value: string }[]).map((r) => [r.key, JSON.parse(r.value)]));
      expect(meta.run).toMatchObject({ repository: 'acme/web', job: 'test', producer: { name: 'runner-telemetry-export' } });
      expect(meta.policy).toEqual({ egress_policy: 'audit', allowed_endpoints: ['github.com:443', '*.example.org:443'], origin: 'manifest' });
      expect(meta.inputs).toEqual(summary.inputs);
      expect(meta.import).toMatchObject({ date: '2026-10-14', date_origin: 'manifest' });
    } finally {
      db.close();
    }
  });

  it('stores the warnings it returns', () => {
    const db = open(casePath);
    try {
      const rows = db.prepare('SELECT file, line, message FROM warnings ORDER BY id').all();
      expect(rows).toEqual(summary.warnings);
    } finally {
      db.close();
    }
  });

  it('reports progress through reading, finalizing and done, with byte counts', () => {
    const phases = [...new Set(progress.map((p) => p.phase))];
    expect(phases).toEqual(['reading', 'finalizing', 'done']);
    expect(progress.every((p) => p.bytesTotal === 6673 && p.bytesDone <= p.bytesTotal)).toBe(true);
    expect(progress.some((p) => p.phase === 'reading' && p.file === path.join(input, 'network.jsonl'))).toBe(true);
    expect(progress.at(-1)).toEqual({ phase: 'done', bytesDone: 6673, bytesTotal: 6673 });
  });

  it('never modifies the evidence', () => {
    expect(snapshotTree(input)).toEqual(evidenceBefore);
    expect(fs.readdirSync(tmpRoot)).toEqual([]);
  });
});

describe('runImport of archives', () => {
  it('a .zip with a single root folder gives the same case', async () => {
    const zip = path.join(work, 'bundle.zip');
    await makeZip(zip, bundleEntries('run-18311492377/'));
    const before = sha256File(zip);
    const s = await runImport({ inputs: [zip], casePath: casePathFor('zip'), tempRoot: tmpRoot });
    expect(s.counts).toEqual(EXPECTED_COUNTS);
    expect(s.inputs).toEqual([{ path: zip, sha256: before, bytes: fs.statSync(zip).size }]);
    expect(sha256File(zip)).toBe(before);
  });

  it('a .tgz whose logs are kept as logs.zip gives the same case; the temp spool is removed', async () => {
    const tgz = path.join(work, 'bundle.tgz');
    await tgzWithLogsZip(tgz);
    const before = sha256File(tgz);
    const casePath = casePathFor('tgz');
    const s = await runImport({ inputs: [tgz], casePath, tempRoot: tmpRoot });
    expect(s.counts).toEqual(EXPECTED_COUNTS);
    expect(sha256File(tgz)).toBe(before);
    expect(fs.readdirSync(tmpRoot)).toEqual([]);
    const db = open(casePath);
    try {
      const chain = db
        .prepare(
          `SELECT m.path AS member, z.path AS zip, z.member AS zip_member, t.path AS top FROM sources m
           JOIN sources z ON z.id = m.parent_id JOIN sources t ON t.id = z.parent_id WHERE m.format = 'gha-log' ORDER BY m.id LIMIT 1`,
        )
        .get() as { member: string; zip: string; zip_member: string; top: string };
      expect(chain.top).toBe(tgz);
      expect(chain.zip).toBe(`${tgz}!/bundle/logs.zip`);
      expect(chain.zip_member).toBe('bundle/logs.zip');
      expect(chain.member.startsWith(`${tgz}!/bundle/logs.zip!/`)).toBe(true);
    } finally {
      db.close();
    }
  });
});

describe('runImport rules', () => {
  it('refuses to replace an existing case without force, replaces it with force', async () => {
    const casePath = casePathFor('existing');
    fs.mkdirSync(path.dirname(casePath), { recursive: true });
    fs.writeFileSync(casePath, 'old case');
    await expect(runImport({ inputs: [FIXTURE_BUNDLE], casePath })).rejects.toThrow(/case file already exists.*--force/);
    expect(fs.readFileSync(casePath, 'utf8')).toBe('old case');
    const s = await runImport({ inputs: [FIXTURE_BUNDLE], casePath, force: true });
    expect(s.counts.network).toBe(4);
    expect(fs.readFileSync(casePath).subarray(0, 15).toString()).toBe('SQLite format 3');
  });

  it('nothing recognised: ImportError, and no case or partial file is left', async () => {
    const dir = path.join(work, 'not-a-bundle');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'README.md'), '# just notes\n');
    fs.writeFileSync(path.join(dir, 'data.bin'), Buffer.from([0, 1, 2, 3]));
    const casePath = casePathFor('nothing');
    const err = await runImport({ inputs: [dir], casePath }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ImportError);
    expect((err as Error).message).toMatch(/nothing recognised in .*not-a-bundle/);
    expect((err as Error).message).toContain(`not recognised: ${path.join(dir, 'README.md')}`);
    expect(fs.existsSync(casePath)).toBe(false);
    expect(leftovers(casePath)).toEqual([]);
  });

  it('bad records become warnings naming file and line; the rest loads; unknown files are warnings', async () => {
    const dir = path.join(work, 'bad-records');
    copyDir(FIXTURE_BUNDLE, dir);
    const net = path.join(dir, 'network.jsonl');
    fs.appendFileSync(net, '{"ts":"2026-10-14T09:13:40","ip":"192.0.2.50","port":443}\nnot json\n{"ts":"2026-10-14T09:13:41Z","ip":"192.0.2.51","port":443}\n');
    fs.writeFileSync(path.join(dir, 'notes.md'), 'hello\n');
    const s = await runImport({ inputs: [dir], casePath: casePathFor('bad') });
    expect(s.counts.network).toBe(5);
    expect(s.warnings).toEqual(
      expect.arrayContaining([
        { file: net, line: 5, message: expect.stringMatching(/timestamp has no zone.*record skipped/) },
        { file: net, line: 6, message: expect.stringMatching(/malformed JSON.*record skipped/) },
        { file: path.join(dir, 'notes.md'), line: null, message: `not recognised: ${path.join(dir, 'notes.md')}` },
      ]),
    );
  });

  it('several inputs go into one case; offsets shift a format’s times; a missing manifest is a warning', async () => {
    const dir = path.join(work, 'split');
    copyDir(FIXTURE_BUNDLE, dir);
    const netFile = path.join(work, 'network-separate.jsonl');
    fs.renameSync(path.join(dir, 'network.jsonl'), netFile);
    fs.rmSync(path.join(dir, 'manifest.json'));
    const casePath = casePathFor('split');
    const date = 1791969123100000000n; // 2026-10-14T09:12:03.1Z: the day is what counts
    const s = await runImport({ inputs: [dir, netFile], casePath, offsets: { 'bundle-network': 2.5 }, date });
    expect(s.inputs.map((i) => i.path)).toEqual([dir, netFile]);
    expect(s.counts.network).toBe(4);
    // no manifest: said once, as information (a note), not as a warning
    expect(s.notes).toEqual([expect.stringMatching(/no manifest\.json/)]);
    expect(s.warnings.filter((w) => /manifest/.test(w.message))).toEqual([]);
    const db = open(casePath);
    try {
      const ts = db.prepare("SELECT ts FROM network WHERE http_method = 'POST'").safeIntegers(true).get() as { ts: bigint };
      expect(ts.ts).toBe(1791969181700000417n + 2_500_000_000n);
      const meta = db.prepare("SELECT value FROM meta WHERE key = 'import'").get() as { value: string };
      expect(JSON.parse(meta.value)).toMatchObject({ date: '2026-10-14', date_origin: 'option', offsets: { 'bundle-network': 2.5 } });
      expect(db.prepare("SELECT value FROM meta WHERE key = 'run'").get()).toEqual({ value: 'null' });
      const src = db.prepare('SELECT parent_id, format, offset_ns, sha256 FROM sources WHERE path = ?').get(netFile);
      expect(src).toEqual({ parent_id: null, format: 'bundle-network', offset_ns: 2_500_000_000, sha256: sha256File(netFile) });
    } finally {
      db.close();
    }
  });

  it('cancel stops the import, removes the partial case and temp files', async () => {
    const tgz = path.join(work, 'cancel.tgz');
    await tgzWithLogsZip(tgz);
    const casePath = casePathFor('cancelled');
    const ac = new AbortController();
    const err = await runImport({
      inputs: [tgz],
      casePath,
      tempRoot: tmpRoot,
      signal: ac.signal,
      onProgress: (p) => {
        if (p.phase === 'reading' && p.file?.includes('logs.zip!/')) ac.abort();
      },
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ImportCancelledError);
    expect(fs.existsSync(casePath)).toBe(false);
    expect(leftovers(casePath)).toEqual([]);
    expect(fs.readdirSync(tmpRoot)).toEqual([]);
  });

  it('refuses a case path inside an input folder (evidence is never written to)', async () => {
    const dir = path.join(work, 'evidence-guard');
    copyDir(FIXTURE_BUNDLE, dir);
    const before = snapshotTree(dir);
    await expect(runImport({ inputs: [dir], casePath: path.join(dir, 'case.runlens') })).rejects.toThrow(/cannot be inside an input folder/);
    expect(snapshotTree(dir)).toEqual(before);
  });

  it('size limits apply to what archives expand to, not to plain files on disk', async () => {
    const s = await runImport({ inputs: [FIXTURE_BUNDLE], casePath: casePathFor('limits'), limits: { maxTotalBytes: 1024, ratioMinBytes: 0, maxRatio: 1 } });
    expect(s.counts.network).toBe(4);
  });

  it('caps warnings about files of one input and says how many were left out', async () => {
    const zip = path.join(work, 'many-unknown.zip');
    const junk = Array.from({ length: 1005 }, (_, i) => ({ name: `notes/n${i}.md`, data: `note ${i}\n` }));
    await makeZip(zip, [...bundleEntries('', true), ...junk]);
    const s = await runImport({ inputs: [zip], casePath: casePathFor('many-unknown') });
    const unknown = s.warnings.filter((w) => w.message.startsWith('not recognised: '));
    expect(unknown).toHaveLength(1000);
    expect(s.warnings).toContainEqual({ file: zip, line: null, message: '5 further warning(s) about files in this input not shown (1005 in all)' });
  });

  it('corrupted archives (flipped bytes, cuts, zeroed runs) end in a summary or an ImportError, never a crash', async () => {
    const zip = path.join(work, 'fuzz-src.zip');
    await makeZip(zip, bundleEntries('bundle/'));
    const tgz = path.join(work, 'fuzz-src.tgz');
    await tgzWithLogsZip(tgz);
    let seed = 12345;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const outcomes = { ok: 0, importError: 0 };
    for (const src of [zip, tgz]) {
      const orig = fs.readFileSync(src);
      for (let i = 0; i < 24; i++) {
        let data = Buffer.from(orig);
        if (i % 3 === 0) {
          for (let k = 0; k < 4; k++) {
            const j = rnd(data.length);
            data[j] = data[j]! ^ 0xff;
          }
        }
        else if (i % 3 === 1) data = data.subarray(0, rnd(data.length));
        else {
          const at = rnd(data.length - 64);
          data.fill(0, at, at + 64);
        }
        const f = path.join(work, `fuzz-${i}${path.extname(src)}`);
        fs.writeFileSync(f, data);
        const casePath = casePathFor(`fuzz-${path.extname(src).slice(1)}-${i}`);
        const r = await runImport({ inputs: [f], casePath, tempRoot: tmpRoot }).catch((e: unknown) => e);
        if (r instanceof Error) {
          expect(r, `${f}: ${r.message}`).toBeInstanceOf(ImportError);
          expect(fs.existsSync(casePath)).toBe(false);
          outcomes.importError++;
        } else outcomes.ok++;
        expect(leftovers(casePath)).toEqual([]);
      }
    }
    expect(outcomes.ok + outcomes.importError).toBe(48);
    expect(fs.readdirSync(tmpRoot)).toEqual([]);
  });

  it('a bomb stops the import with a clear error and leaves nothing behind', async () => {
    const zip = path.join(work, 'bomb-run.zip');
    await makeZip(zip, [...bundleEntries('', true), { name: 'zzz.jsonl', data: Buffer.alloc(12 * 1024 * 1024) }]);
    const casePath = casePathFor('bomb');
    const err = await runImport({ inputs: [zip], casePath, limits: { maxTotalBytes: 8 * 1024 * 1024 } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ContainerBombError);
    expect((err as Error).message).toMatch(/zzz\.jsonl: declares 12 MiB uncompressed, over the 8 MiB limit/);
    expect(fs.existsSync(casePath)).toBe(false);
    expect(leftovers(casePath)).toEqual([]);
  });
});
