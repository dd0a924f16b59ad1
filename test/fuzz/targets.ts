/**
 * Property-based fuzzing with fast-check (issue 11): every importer of the registry, the ANSI parser, the evidence
 * text marks, the allow-list and the filter language (parser, and the SQL it becomes, run on a real schema). Shared by `npm run fuzz` (scripts/fuzz.mjs: ≥ 100 000 cases) and the short run in
 * the normal suite (test/unit/fuzz-short.test.ts).
 *
 * Importers are fed mutations of real files (test/fixtures: the formats' samples, the small bundle, GitHub logs):
 * lines dropped, duplicated, cut, spliced with hostile fragments (controls, bidi, huge numbers, broken JSON and
 * quotes), read in random chunk sizes. The promise: `read` ends, by returning or by throwing a plain Error with a
 * message (a fatal problem the import layer turns into a warning); never a TypeError/RangeError/SyntaxError (a bug,
 * a stack overflow, an uncaught parse), never a non-Error; every warning a string, every emitted record JSON-able.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { importers } from '../../electron/import/registry';
import type { Importer, InputFile, RecordSink } from '../../electron/import/types';
import { ansiToSpans, MIN_CONTRAST, contrastRatio, stripAnsi, withReadableColors } from '../../shared/ansi';
import { AllowList, matchesRule, parseAllowed } from '../../shared/endpoint';
import { evidencePieces, visibleText } from '../../shared/evidence-text';
import { FilterError, parseFilter, tryParseFilter } from '../../shared/filter';
import Database from 'better-sqlite3';
import { MIGRATIONS } from '../../electron/db/migrations/index';
import { callFilterSql, logFilterSql, registerFilterFunctions } from '../../electron/queries/filter-sql';

const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');
const MAX_SEED_LINES = 60;

export interface FuzzTarget {
  name: string;
  /** Share of the total number of runs. */
  weight: number;
  check(numRuns: number, seed?: number): Promise<void>;
}

function listFiles(dir: string): string[] {
  const out: string[] = [];
  if (!fs.existsSync(dir)) return out;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...listFiles(p));
    else if (e.isFile() && fs.statSync(p).size < 4 * 1024 * 1024 && !/\.(zip|gz|tgz|png|md)$/i.test(e.name)) out.push(p);
  }
  return out;
}

function input(relPath: string, data: Buffer): InputFile {
  return { name: `fuzz!/${relPath}`, relPath, bytes: data.length, head: data.subarray(0, 64 * 1024) };
}

interface Seed {
  relPath: string;
  lines: string[];
}

/** Real files this importer recognises (by its own sniff), cut to their first lines. */
export function seedsFor(imp: Importer): Seed[] {
  const seeds: Seed[] = [];
  for (const f of [...listFiles(path.join(FIXTURES, 'formats')), ...listFiles(path.join(FIXTURES, 'bundle')), ...listFiles(path.join(FIXTURES, 'gha'))]) {
    const data = fs.readFileSync(f);
    const rel = f.includes(`${path.sep}bundle${path.sep}`) ? path.relative(path.join(FIXTURES, 'bundle', 'small-bundle'), f).split(path.sep).join('/') : path.basename(f);
    let score: number;
    try {
      score = imp.sniff(input(rel, data));
    } catch {
      score = 0;
    }
    if (score > 0) seeds.push({ relPath: rel, lines: data.toString('utf8').split('\n').slice(0, MAX_SEED_LINES) });
  }
  return seeds;
}

const HOSTILE_FRAGMENTS = [
  '\x1b[2J', '\x1b]0;x\x07', '\u202e', '\u2066', '\ufeff', '\u200b', '\0', '\r', '\r\n', '\t', '\x7f', '\u009b',
  '"', "'", '\\', '\\u0000', '\\ud800', '{', '}', '[', ']', ',', ':', '=', '(', ')', '<unfinished ...>', '...',
  '-1', '0', '1e309', '-0', 'NaN', '18446744073709551616', '9007199254740993', '99999999999999999999', '1.5',
  'null', 'true', '""', '[]', '{}', '__proto__', 'constructor', '##[group]', '##[endgroup]', '##[error]',
  '2026-10-14T09:12:03.1234567Z ', '9999-12-31T23:59:59Z', '0000-00-00T00:00:00Z', 'xn--80ak6aa92e.com', 'g\u0456thub.com',
  'type=SYSCALL msg=audit(', 'execve(', ' = -1 ENOENT', '"process_exec":', '"timestamp":', 'a'.repeat(300),
];

type Op = { kind: 'drop' | 'dup' | 'cut'; at: number; n: number } | { kind: 'splice'; at: number; n: number; frag: string };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constantFrom('drop' as const, 'dup' as const, 'cut' as const), at: fc.nat(), n: fc.nat() }),
  fc.record({
    kind: fc.constant('splice' as const),
    at: fc.nat(),
    n: fc.nat(),
    frag: fc.oneof(fc.constantFrom(...HOSTILE_FRAGMENTS), fc.string({ unit: 'binary', maxLength: 12 })),
  }),
);

function mutate(lines: string[], ops: Op[]): string {
  const ls = [...lines];
  for (const op of ops) {
    if (ls.length === 0) ls.push('');
    const i = op.at % ls.length;
    const line = ls[i]!;
    const pos = line.length ? op.n % (line.length + 1) : 0;
    if (op.kind === 'drop') ls.splice(i, 1);
    else if (op.kind === 'dup') ls.splice(i, 0, line);
    else if (op.kind === 'cut') ls[i] = line.slice(0, pos);
    else if (op.kind === 'splice') ls[i] = line.slice(0, pos) + op.frag + line.slice(pos);
  }
  return ls.join('\n');
}

const BUG_ERRORS = [TypeError, RangeError, ReferenceError, SyntaxError];

function collectingSink(): { sink: RecordSink; check(): void } {
  const records: unknown[] = [];
  const problems: string[] = [];
  const rec = (r: unknown) => {
    if (records.length < 1000) records.push(r);
  };
  const sink: RecordSink = {
    run: rec, policy: rec, step: rec, logLine: rec, processEvent: rec, network: rec, dns: rec, fileEvent: rec, detection: rec,
    warn: (line, message) => {
      if (typeof message !== 'string' || message === '') problems.push(`warning without a message: ${String(message)}`);
      if (line !== null && (!Number.isInteger(line) || line < 0)) problems.push(`warning with line ${String(line)}`);
    },
  } as RecordSink;
  return {
    sink,
    check() {
      for (const r of records) JSON.stringify(r, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
      if (problems.length) throw new Error(problems.join('; '));
    },
  };
}

/** Runs the importer on `data` in chunks; throws when the outcome breaks the promise above. */
export async function readOnce(imp: Importer, relPath: string, data: Buffer, chunk: number): Promise<void> {
  const parts: Buffer[] = [];
  for (let i = 0; i < data.length; i += chunk) parts.push(data.subarray(i, i + chunk));
  const { sink, check } = collectingSink();
  try {
    await imp.read(input(relPath, data), Readable.from(parts), sink, { date: null, signal: new AbortController().signal } as never);
  } catch (e) {
    if (!(e instanceof Error)) throw new Error(`${imp.format}: threw a non-Error: ${String(e)}`, { cause: e });
    if (BUG_ERRORS.some((C) => e.constructor === C)) throw new Error(`${imp.format}: ${e.constructor.name}: ${e.message}`, { cause: e });
    if (!e.message) throw new Error(`${imp.format}: threw an Error without a message`, { cause: e });
  }
  check();
}

function importerTarget(imp: Importer): FuzzTarget {
  let seeds: Seed[] | null = null;
  return {
    name: `importer ${imp.format}`,
    weight: 4,
    async check(numRuns, seed) {
      seeds ??= seedsFor(imp);
      const base: Seed[] = seeds.length ? seeds : [{ relPath: `${imp.format}.log`, lines: ['{}', 'x'] }];
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...base), fc.array(opArb, { maxLength: 10 }), fc.integer({ min: 1, max: 4096 }), async (s, ops, chunk) => {
          await readOnce(imp, s.relPath, Buffer.from(mutate(s.lines, ops), 'utf8'), chunk);
        }),
        { numRuns, seed, endOnFailure: true },
      );
    },
  };
}

const ANSI_UNITS = ['\x1b', '[', ']', '(', 'P', 'X', '^', '_', '\\', '\x07', '\u009b', '\u009c', '\u009d', ';', ':', '?', '0', '1', '2', '3', '5', '8', '9', '38', '48', 'm', 'K', 'H', 'a', ' ', '\n', '\r', '\t', '\u202e', '\ud800', '\x00', '\x7f'];
const ansiText = fc.oneof(fc.string({ unit: fc.constantFrom(...ANSI_UNITS), maxLength: 80 }), fc.string({ unit: 'binary', maxLength: 40 }));

const ansiTarget: FuzzTarget = {
  name: 'ANSI parser',
  weight: 20,
  async check(numRuns, seed) {
    fc.assert(
      fc.property(ansiText, fc.boolean(), (s, dark) => {
        const spans = ansiToSpans(s);
        const plain = stripAnsi(s, { keepNewlines: true });
        if (spans.map((x) => x.text).join('') !== plain) throw new Error('spans do not join to the stripped text');
        if (spans.some((x) => x.text === '')) throw new Error('an empty span');
        if (/[\x1b\u009b\u009c\x07]/.test(stripAnsi(s))) throw new Error('a control sequence survived stripping');
        const theme = dark ? { background: '#1b1f24', foreground: '#d7dce2' } : { background: '#ffffff', foreground: '#1d2127' };
        for (const x of withReadableColors(spans, theme)) {
          if ((x.fg || x.bg) && contrastRatio(x.fg ?? theme.foreground, x.bg ?? theme.background) < MIN_CONTRAST) throw new Error('unreadable colours');
        }
      }),
      { numRuns, seed, endOnFailure: true },
    );
  },
};

const evidenceTarget: FuzzTarget = {
  name: 'evidence text',
  weight: 10,
  async check(numRuns, seed) {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 60 }), (s) => {
        const v = visibleText(s);
        if (/[\u061c\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/.test(v)) throw new Error('a bidi or zero-width character left');
        const joined = evidencePieces(s).map((p) => ('text' in p ? p.text : '')).join('');
        if (joined.length > s.length) throw new Error('text grew');
      }),
      { numRuns, seed, endOnFailure: true },
    );
  },
};

const allowListTarget: FuzzTarget = {
  name: 'allow-list',
  weight: 5,
  async check(numRuns, seed) {
    const label = fc.constantFrom('a', 'b', 'example', 'test', 'x-y', '', '*', 'xn--p1ai');
    const host = fc.array(label, { minLength: 1, maxLength: 4 }).map((l) => l.join('.'));
    const rule = fc.tuple(fc.boolean(), host, fc.constantFrom('', ':443', ':80', ':x')).map(([w, h, p]) => `${w ? '*.' : ''}${h}${p}`);
    fc.assert(
      fc.property(fc.array(rule, { maxLength: 10 }), host, fc.constantFrom(443, 80), (rs, h, p) => {
        const naive = rs.map(parseAllowed).find((r) => r && matchesRule(`${h}:${p}`, r));
        if (new AllowList(rs).allowedBy(`${h}:${p}`) !== (naive ? naive.raw : null)) throw new Error('suffix map disagrees with the rule-by-rule match');
      }),
      { numRuns, seed, endOnFailure: true },
    );
  },
};

const FILTER_UNITS = [
  'domain:', 'ip:', 'port:', 'process:', 'pid:', 'step:', 'status:', 'verdict:', 'method:', 'x:', ' AND ', ' OR ', 'NOT ', '-',
  '(', ')', '"', '/', '/a.*b/', '/[/', '/(?=x)/', '\\', '*', '..', '1', '443', '80..90', '..3', '192.0.2.0/24', '::1/128', '999.1.1.1/99',
  'github.com', 'curl', ' ', '\u202e', '\0', 'é', '\ud800', "'", ';', '--', 'DROP TABLE network',
];

/** A tiny case in memory (the migrations' schema, a few rows) for the filter's SQL to run on. */
function filterDb(): Database.Database {
  const db = new Database(':memory:');
  for (const m of MIGRATIONS) db.exec(m.sql);
  db.exec(`INSERT INTO steps(id, job, number, name, origin) VALUES (1, 'test', 1, 'Run npm test', 'files');
    INSERT INTO processes(id, pid, exe, args) VALUES (1, 42, '/usr/bin/curl', '["curl"]');
    INSERT INTO network(id, ts, pid, process_id, domain, ip, port, endpoint, verdict, step_id, running_step_id, http_method, http_path, status)
      VALUES (1, 1, 42, 1, 'github.com', '192.0.2.10', 443, 'github.com:443', 'outside-policy', 1, 1, 'GET', '/x', 'allowed');
    INSERT INTO log_lines(id, job, step_id, seq, raw, text, file_kind) VALUES (1, 'test', 1, 1, 'curl github.com', 'curl github.com', 'step');`);
  registerFilterFunctions(db as never);
  return db;
}

const filterTarget: FuzzTarget = {
  name: 'filter language',
  weight: 10,
  async check(numRuns, seed) {
    const db = filterDb();
    try {
      fc.assert(
        fc.property(fc.oneof(fc.string({ unit: fc.constantFrom(...FILTER_UNITS), maxLength: 12 }), fc.string({ unit: 'binary', maxLength: 40 })), (src) => {
          const t = tryParseFilter(src);
          if (typeof t !== 'object' || (t.tree === null && t.error === null && src.trim() !== '' && parseFilter(src) !== null)) throw new Error('tryParseFilter disagrees');
          let tree;
          try {
            tree = parseFilter(src);
          } catch (e) {
            if (!(e instanceof FilterError)) throw new Error(`parseFilter threw ${(e as Error)?.constructor?.name}: ${(e as Error)?.message}`, { cause: e });
            return;
          }
          if (!tree) return;
          // the SQL the queries build from it runs (no syntax error, no injection of the text into the statement)
          const c = callFilterSql(tree, { processLabel: 'p.exe', verdict: 'n.verdict' });
          db.prepare(`SELECT count(*) FROM network n LEFT JOIN steps s ON s.id = n.step_id LEFT JOIN steps rs ON rs.id = n.running_step_id LEFT JOIN processes p ON p.id = n.process_id WHERE ${c.sql}`).get(...c.args);
          const l = logFilterSql(tree);
          db.prepare(`SELECT count(*) FROM log_lines l WHERE ${l.sql}`).get(...l.args);
          if (c.sql.includes('DROP') || l.sql.includes('DROP')) throw new Error('filter text reached the SQL text');
        }),
        { numRuns, seed, endOnFailure: true },
      );
    } finally {
      db.close();
    }
  },
};

export function fuzzTargets(): FuzzTarget[] {
  return [...importers.map(importerTarget), ansiTarget, evidenceTarget, allowListTarget, filterTarget];
}

/** Runs per target for a total of about `total` cases. */
export function plan(total: number): { target: FuzzTarget; runs: number }[] {
  const targets = fuzzTargets();
  const w = targets.reduce((n, t) => n + t.weight, 0);
  return targets.map((t) => ({ target: t, runs: Math.max(1, Math.ceil((total * t.weight) / w)) }));
}
