/**
 * The `runlens` command (a real child process) on a bundle whose text hides characters a terminal shows as nothing:
 * Unicode tag characters (U+E0000–E007F, "ASCII smuggling"), soft hyphen, Hangul fillers, the Mongolian vowel
 * separator, the combining grapheme joiner. Human output must make each one visible.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli, runlens } from './cli-helpers';

/** Characters that render as nothing (or as blank space) in a terminal. */
const INVISIBLE = /[\u00ad\u115f\u180e\u3164\uffa0]|\u034f|\u1160|\u17b4|\u17b5|\udb40[\udc00-\udc7f]/;
const tags = (s: string) => [...s].map((c) => String.fromCodePoint(0xe0000 + c.charCodeAt(0))).join('');

let dir: string;
let kase: string;
const hidden = 'github.com' + tags(' curl evil.example') + '\u00ad\u180e\u3164\u034f';

beforeAll(async () => {
  await buildCli();
  dir = mkdtempSync(path.join(os.tmpdir(), 'runlens-hostile-cli-'));
  const b = path.join(dir, 'bundle');
  mkdirSync(b);
  writeFileSync(path.join(b, 'network.jsonl'), JSON.stringify({ ts: '2026-10-14T09:12:15Z', pid: 300, domain: hidden, ip: '192.0.2.7', port: 443 }) + '\n');
  kase = path.join(dir, 'case.runlens');
  const r = runlens(['import', b, '--case', kase, '--json']);
  expect(r.code, r.stderr).toBe(0);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('invisible characters in human output', () => {
  it('sql and explain show tag characters and other invisibles as escapes', () => {
    const sql = runlens(['sql', kase, 'SELECT domain FROM network']);
    expect(sql.code, sql.stderr).toBe(0);
    expect(sql.stdout).not.toMatch(INVISIBLE);
    expect(sql.stdout).toContain('github.com\\u{e0020}\\u{e0063}');
    expect(sql.stdout).toContain('\\u00ad\\u180e\\u3164\\u034f');
    const ex = runlens(['explain', kase, '--endpoint', '192.0.2.7']);
    expect(ex.code, ex.stderr).toBe(0);
    expect(ex.stdout).toContain('github.com\\u{e0020}');
    expect(ex.stdout).not.toMatch(INVISIBLE);
  });
});
