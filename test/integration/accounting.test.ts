/**
 * No silent loss, over EVERY fixture: each file an importer read reports its physical lines (counted here again,
 * independently, from the file's bytes) as lines stored + lines skipped, every skipped line under a reason. An
 * import in which nothing yields a record fails with one line that says why.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runImport } from '../../electron/import/run-import';
import { ImportError } from '../../electron/import/types';
import { buildCli, runlens } from './cli-helpers';
import { tempDir } from './import-helpers';

const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

/** Every fixture input: each file under gha/ and formats/<kind>/, and the bundle folder. */
function fixtureInputs(): string[] {
  const out: string[] = [];
  for (const f of fs.readdirSync(path.join(FIXTURES, 'gha'))) out.push(path.join(FIXTURES, 'gha', f));
  for (const kind of fs.readdirSync(path.join(FIXTURES, 'formats'))) {
    for (const f of fs.readdirSync(path.join(FIXTURES, 'formats', kind))) out.push(path.join(FIXTURES, 'formats', kind, f));
  }
  out.push(path.join(FIXTURES, 'bundle', 'small-bundle'));
  return out.sort();
}

/** Physical lines of a byte string: LF-separated, a last line without LF counts. */
function physicalLines(b: Buffer): number {
  let n = 0;
  for (const c of b) if (c === 0x0a) n++;
  return b.length > 0 && b[b.length - 1] !== 0x0a ? n + 1 : n;
}

describe('accounting over every fixture: lines in = lines stored + lines reported skipped', () => {
  for (const input of fixtureInputs()) {
    const rel = path.relative(FIXTURES, input);
    it(rel, async () => {
      const dir = tempDir('rl-accounting-');
      dirs.push(dir);
      let summary;
      try {
        summary = await runImport({ inputs: [input], casePath: path.join(dir, 'c.runlens'), date: 1_781_654_400_000_000_000n });
      } catch (e) {
        // refused as a whole: one line saying why, naming the input
        expect(e).toBeInstanceOf(ImportError);
        const msg = (e as Error).message.split('\n')[0]!;
        expect(msg).toContain(path.basename(input));
        return;
      }
      expect(summary.files!.length, rel).toBeGreaterThan(0);
      for (const f of summary.files!) {
        expect(f.lines_stored + f.lines_skipped, f.path).toBe(f.lines);
        expect(Object.values(f.skipped).reduce((a, b) => a + b, 0), f.path).toBe(f.lines_skipped);
        // a plain file on disk: its lines, counted here from its bytes, are the lines the import accounts for
        if (!f.path.includes('!/') && fs.existsSync(f.path) && fs.statSync(f.path).isFile()) {
          const bytes = fs.readFileSync(f.path);
          expect(f.lines, f.path).toBe(physicalLines(bytes));
          expect(f.bytes, f.path).toBe(bytes.length);
        }
        // nothing skipped for no stated reason in a GitHub log
        if (f.format === 'gha-log') expect(Object.keys(f.skipped).filter((k) => k === 'no record'), f.path).toEqual([]);
      }
    });
  }
});

describe('an import that yields nothing', () => {
  beforeAll(async () => {
    await buildCli();
  }, 120_000);

  it('a time-of-day-only strace log without --date: exit 1, one line saying why', () => {
    const r = runlens(['import', path.join(FIXTURES, 'formats', 'strace', 'ci-t.log'), '--case', path.join(tempDir('rl-acc-cli-'), 'c.runlens')]);
    expect(r.code).toBe(1);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/nothing imported from .*ci-t\.log: .*time of day/);
  });
});
