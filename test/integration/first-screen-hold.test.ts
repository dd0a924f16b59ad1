/**
 * Benchmark 7: serve's own import is often readable before its page has even loaded its scripts. The import then
 * stays held (its CPU left to the page loading; api/case-owner.ts readableUnnamed) and its inputs are not hashed
 * until that page has drawn its first screen — its first call outside the first screen — (or the worker's limit,
 * HOLD_AFTER_FIRST_SCREEN_MS, and NAME_AT_LATEST_MS): a page asking late must not find the import running at full
 * speed beside it. A stand-in runner reports the first screen and records when it is released.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaseOwner } from '../../electron/api/case-owner';
import type { ImportRunner } from '../../electron/api/imports';
import { makeStoryCase } from '../e2e/support/story-case';
import { call } from './owner-job';
import { tempDir } from './import-helpers';

let work: string;
let story: string;
beforeAll(() => {
  work = tempDir('rl-first-screen-hold-');
  story = path.join(work, 'story.runlens');
  makeStoryCase(story);
});
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

const turns = async (n = 5) => {
  for (let i = 0; i < n; i++) await new Promise((r) => setImmediate(r));
};

describe("serve's first screen before any page asked", () => {
  it('holds the import until the page that comes later has drawn it', async () => {
    const partial = path.join(work, 'import-x.runlens.partial-1-000000000000');
    fs.copyFileSync(story, partial);
    let released = false;
    let readable = () => {};
    let end = () => {};
    const runner: ImportRunner = async ({ onProgress, firstScreenShown }) => {
      void firstScreenShown?.then(() => (released = true));
      await new Promise<void>((r) => (readable = r));
      onProgress({ phase: 'reading', readable: { path: partial, state: 'loading' } });
      await new Promise<void>((r) => (end = r));
      return { casePath: partial, warnings: 0 };
    };
    const owner = new CaseOwner({ runner });
    try {
      const { id } = owner.startImportAs({ paths: [story], release: () => {} });
      readable(); // readable with no page asking yet
      await turns();
      expect(released).toBe(false); // held for the page on its way
      // the page comes: its first screen's calls answer from the partial file and keep the hold
      for (const m of ['log.outline', 'log.window', 'steps.list', 'case.status']) {
        expect(await call(owner, id, m, m === 'log.window' ? { offset: 0, limit: 500 } : {})).toMatchObject({ ok: true });
      }
      await turns();
      expect(released).toBe(false);
      // its first call beyond the first screen: drawn; the import goes on
      await call(owner, id, 'notes.marks');
      await turns();
      expect(released).toBe(true);
    } finally {
      end();
      owner.dispose();
    }
  });
});
