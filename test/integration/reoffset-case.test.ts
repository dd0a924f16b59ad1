/**
 * Clock offsets applied to an imported case (reoffsetCase): the sample bundle (resources/sample-bundle) is imported
 * with the real importer into a temp folder, then `network.jsonl`'s source is moved by +2.5 s into a NEW case file.
 * Exactly that source's rows move, by exactly 2.5e9 ns; the old case file is byte-for-byte unchanged; attribution
 * and findings are recomputed from the moved rows; `sources.offset_ns` and `meta.reoffset` record what was done.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  reoffsetCase,
  reoffsetCasePath,
  planReoffset,
  type ReoffsetProgress,
} from '../../electron/analysis/reoffset-case';
import { OffsetError } from '../../electron/analysis/shift-sources';
import { openCaseReadOnly } from '../../electron/db/open';
import { runImport } from '../../electron/import/run-import';
import { caseInfo } from '../../electron/queries/case-info';

const ROOT = path.resolve(__dirname, '..', '..');
const BUNDLE = path.join(ROOT, 'resources', 'sample-bundle');
const SHIFT = 2_500_000_000n;

let dir: string;
let original: string;
let originalSha: string;

const sha = (p: string) => createHash('sha256').update(fs.readFileSync(p)).digest('hex');
const open = (p: string) => new Database(p, { readonly: true });

/** `table` rows as "source_id:line" -> time columns, read exactly (bigint). */
function times(p: string, table: string, cols: string[]): Map<string, bigint[]> {
  const db = open(p);
  try {
    const rows = db
      .prepare(`SELECT source_id, line, ${cols.join(', ')} FROM ${table} ORDER BY source_id, line`)
      .safeIntegers(true)
      .all() as Record<string, bigint | null>[];
    const m = new Map<string, bigint[]>();
    for (const r of rows)
      m.set(
        `${r.source_id}:${r.line}`,
        cols.map((c) => r[c] ?? -1n),
      );
    return m;
  } finally {
    db.close();
  }
}

function sourceId(p: string, member: string): number {
  const db = open(p);
  try {
    return Number((db.prepare('SELECT id FROM sources WHERE member = ?').get(member) as { id: number }).id);
  } finally {
    db.close();
  }
}

/** A case's calls by line of network.jsonl: time, running step number, step number, finding. */
function calls(p: string) {
  const db = open(p);
  try {
    return db
      .prepare(
        `SELECT n.line, n.ts, r.number AS running, s.number AS step, n.finding_id, n.process_id FROM network n
         LEFT JOIN steps r ON r.id = n.running_step_id LEFT JOIN steps s ON s.id = n.step_id ORDER BY n.line`,
      )
      .safeIntegers(true)
      .all() as {
      line: bigint;
      ts: bigint;
      running: bigint | null;
      step: bigint | null;
      finding_id: bigint | null;
      process_id: bigint | null;
    }[];
  } finally {
    db.close();
  }
}

async function reoffset(
  from: string,
  offsets: { source_id: number; seconds: number }[],
  onProgress?: (p: ReoffsetProgress) => void,
) {
  const db = openCaseReadOnly(from);
  let to: string;
  try {
    to = reoffsetCasePath(db, planReoffset(db, offsets), dir);
  } finally {
    db.close();
  }
  return reoffsetCase({ from, to, offsets, onProgress });
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rl-reoffset-'));
  original = path.join(dir, 'sample.runlens');
  await runImport({ inputs: [BUNDLE], casePath: original });
  originalSha = sha(original);
}, 60_000);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('reoffsetCase on the imported sample bundle', () => {
  let shifted: string;
  let net: number;
  const phases: string[] = [];

  beforeAll(async () => {
    net = sourceId(original, 'network.jsonl');
    const s = await reoffset(original, [{ source_id: net, seconds: 2.5 }], (p) => phases.push(p.phase));
    shifted = s.case;
    expect(s.reused).toBe(false);
    expect(s.changes).toEqual([
      expect.objectContaining({ source_id: net, from_seconds: 0, to_seconds: 2.5, format: 'bundle-network' }),
    ]);
    expect(s.shifted?.network).toBe(36);
    expect(s.shifted?.log_lines).toBe(0);
  }, 60_000);

  it('writes a new case beside the cases, and leaves the old case file byte-for-byte as it was', () => {
    expect(shifted).not.toBe(original);
    expect(path.dirname(shifted)).toBe(dir);
    expect(path.basename(shifted)).toMatch(/^[0-9a-f]{32}\.runlens$/);
    expect(sha(original)).toBe(originalSha);
    expect(fs.readdirSync(dir).filter((f) => f.includes('.partial-'))).toEqual([]);
    expect(phases).toEqual(expect.arrayContaining(['checking', 'copying', 'shifting', 'finalizing', 'done']));
  });

  it("moves every row of network.jsonl by exactly 2.5e9 ns and nothing else's", () => {
    const before = times(original, 'network', ['ts']);
    const after = times(shifted, 'network', ['ts']);
    expect(after.size).toBe(36);
    for (const [k, [t]] of before) expect(after.get(k)).toEqual([t! + SHIFT]);
    for (const [table, cols] of [
      ['dns', ['ts']],
      ['process_events', ['ts']],
      ['file_events', ['ts']],
      ['detections', ['ts']],
      ['steps', ['started_at', 'completed_at']],
    ] as const) {
      const b = times(original, table, [...cols]);
      expect(b.size, table).toBeGreaterThan(0);
      expect(times(shifted, table, [...cols]), table).toEqual(b);
    }
    // log lines are renumbered by the analysis; compare them by file and line.
    expect(times(shifted, 'log_lines', ['ts'])).toEqual(times(original, 'log_lines', ['ts']));
  });

  it('recomputes attribution: a call moved across a step boundary gets the next running step', () => {
    const b = calls(original);
    const a = calls(shifted);
    // Line 5: 09:12:04.402 in "Set up job" (ends 09:12:05.4); +2.5 s is 09:12:06.902, in step 2.
    const l5b = b.find((c) => c.line === 5n)!;
    const l5a = a.find((c) => c.line === 5n)!;
    expect(l5b.running).toBe(1n);
    expect(l5a.running).toBe(2n);
    expect(l5a.ts - l5b.ts).toBe(SHIFT);
    // Other calls changed too; the last one (09:13:52.61 in "Complete job") now falls after the job's end (09:13:53).
    expect(a.filter((c, i) => c.running !== b[i]!.running).length).toBeGreaterThan(1);
    expect(b.find((c) => c.line === 36n)!.running).toBe(7n);
    expect(a.find((c) => c.line === 36n)!.running).toBe(null);
  });

  it("recomputes findings from the moved calls (the exfil finding's first sighting moves by 2.5 s)", () => {
    const q = (p: string) => {
      const db = open(p);
      try {
        return db
          .prepare(
            `SELECT endpoint, first_seen, last_seen, calls FROM findings WHERE endpoint LIKE 'telemetry.exfil.example%'`,
          )
          .safeIntegers(true)
          .get() as { endpoint: string; first_seen: bigint; last_seen: bigint; calls: bigint };
      } finally {
        db.close();
      }
    };
    const fb = q(original);
    const fa = q(shifted);
    expect(fa.calls).toBe(fb.calls);
    expect(fa.first_seen - fb.first_seen).toBe(SHIFT);
    expect(fa.last_seen - fb.last_seen).toBe(SHIFT);
  });

  it('records the offset in force in sources.offset_ns, meta.reoffset and case.info', () => {
    const db = openCaseReadOnly(shifted);
    try {
      const offs = db.prepare('SELECT id, offset_ns FROM sources ORDER BY id').safeIntegers(true).all() as {
        id: bigint;
        offset_ns: bigint;
      }[];
      expect(offs.filter((o) => o.offset_ns !== 0n)).toEqual([{ id: BigInt(net), offset_ns: SHIFT }]);
      const meta = JSON.parse(
        (db.prepare(`SELECT value FROM meta WHERE key = 'reoffset'`).get() as { value: string }).value,
      );
      expect(meta).toEqual([
        expect.objectContaining({
          from_case: original,
          changes: [expect.objectContaining({ member: 'network.jsonl', from_seconds: 0, to_seconds: 2.5 })],
        }),
      ]);
      const info = caseInfo(db);
      expect(info.sources.find((s) => s.id === net)).toMatchObject({
        member: 'network.jsonl',
        format: 'bundle-network',
        offset_seconds: 2.5,
      });
      expect(info.sources.filter((s) => s.offset_seconds !== 0)).toHaveLength(1);
      // The folder's members carry different offsets: the folder shows its own (none).
      expect(info.inputs).toEqual([expect.objectContaining({ id: 1, format: null, offset_seconds: 0 })]);
      expect(info.counts.network).toBe(36);
    } finally {
      db.close();
    }
  });

  it('takes offsets as totals: the same offsets again are refused, and another total moves rows by the difference', async () => {
    await expect(reoffset(shifted, [{ source_id: net, seconds: 2.5 }])).rejects.toThrow(OffsetError);
    const s = await reoffset(shifted, [{ source_id: net, seconds: -1 }]);
    const b = times(original, 'network', ['ts']);
    const a = times(s.case, 'network', ['ts']);
    for (const [k, [t]] of b) expect(a.get(k)).toEqual([t! - 1_000_000_000n]);
    const db = openCaseReadOnly(s.case);
    try {
      const meta = JSON.parse(
        (db.prepare(`SELECT value FROM meta WHERE key = 'reoffset'`).get() as { value: string }).value,
      );
      expect(meta.map((m: { from_case: string }) => m.from_case)).toEqual([original, shifted]);
      expect(caseInfo(db).sources.find((x) => x.id === net)?.offset_seconds).toBe(-1);
    } finally {
      db.close();
    }
    // The same offsets asked from the original case name the same case, which is reused as it is.
    const again = await reoffset(original, [{ source_id: net, seconds: -1 }]);
    expect(again).toMatchObject({ case: s.case, reused: true, shifted: null });
    expect(sha(original)).toBe(originalSha);
  }, 60_000);

  it("gives an input's offset to all its files: every time of the case moves", async () => {
    const s = await reoffset(original, [{ source_id: 1, seconds: -3600 }]);
    const H = 3_600_000_000_000n;
    for (const [table, cols] of [
      ['network', ['ts']],
      ['dns', ['ts']],
      ['process_events', ['ts']],
      ['log_lines', ['ts']],
      ['steps', ['started_at', 'completed_at']],
    ] as const) {
      const b = times(original, table, [...cols]);
      const a = times(s.case, table, [...cols]);
      expect(a.size, table).toBe(b.size);
      for (const [k, v] of b) expect(a.get(k), `${table} ${k}`).toEqual(v.map((t) => (t === -1n ? -1n : t - H)));
    }
    // dns_answers follow their resolutions.
    const db = openCaseReadOnly(s.case);
    try {
      const bad = db
        .prepare('SELECT count(*) AS n FROM dns_answers a JOIN dns d ON d.id = a.dns_id WHERE a.ts <> d.ts')
        .get() as { n: number };
      expect(bad.n).toBe(0);
      const info = caseInfo(db);
      expect(info.inputs[0]!.offset_seconds).toBe(-3600);
      // Attribution is unchanged when everything moves together.
      expect(calls(s.case).map((c) => [c.line, c.running, c.step])).toEqual(
        calls(original).map((c) => [c.line, c.running, c.step]),
      );
    } finally {
      db.close();
    }
  }, 60_000);

  it('refuses unknown sources with a readable error, and writes nothing', async () => {
    const before = fs.readdirSync(dir).sort();
    await expect(reoffset(original, [{ source_id: 999, seconds: 1 }])).rejects.toThrow('no source 999 in this case');
    expect(fs.readdirSync(dir).sort()).toEqual(before);
  });

  it('stops on an aborted signal and leaves no partial file', async () => {
    const db = openCaseReadOnly(original);
    const offsets = [{ source_id: net, seconds: 7 }];
    const to = reoffsetCasePath(db, planReoffset(db, offsets), dir);
    db.close();
    const ac = new AbortController();
    const p = reoffsetCase({
      from: original,
      to,
      offsets,
      signal: ac.signal,
      onProgress: (x) => x.phase === 'copying' && ac.abort(),
    });
    await expect(p).rejects.toThrow(/cancelled/);
    expect(fs.existsSync(to)).toBe(false);
    expect(fs.readdirSync(dir).filter((f) => f.includes('.partial-'))).toEqual([]);
  });
});
