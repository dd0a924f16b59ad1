import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApi, type Api } from '../../electron/api/dispatch';
import type { LogOutline, Result } from '../../shared/api';
import { makeStoryCase, STORY } from '../e2e/support/story-case';

let dir: string;
let api: Api;
const ok = async <T>(method: string, params: unknown = {}): Promise<T> => {
  const env = await api.call(method, params);
  if (!env.ok) throw new Error(env.error);
  return env.value as T;
};

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'runlens-api-'));
  makeStoryCase(path.join(dir, 'story.runlens'));
  api = createApi(path.join(dir, 'story.runlens'));
});
afterAll(() => {
  api.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('network.query', () => {
  it('returns a window of calls in time order with the total', async () => {
    const all = await ok<Result<'network.query'>>('network.query', {});
    expect(all.total).toBe(STORY.calls);
    const ts = all.rows.map((r) => r.ts);
    expect([...ts].sort()).toEqual(ts);
    const page = await ok<Result<'network.query'>>('network.query', { offset: 3, limit: 4 });
    expect(page.total).toBe(STORY.calls);
    expect(page.rows.map((r) => r.id)).toEqual(all.rows.slice(3, 7).map((r) => r.id));
  });

  it('filters findings only and names the process of each call', async () => {
    const f = await ok<Result<'network.query'>>('network.query', { filter: { findingsOnly: true } });
    expect(f.total).toBe(2);
    expect(f.rows.map((r) => r.id)).toEqual([STORY.findingCallId, STORY.beaconCallId]);
    const curl = f.rows[0]!;
    expect(curl).toMatchObject({
      domain: STORY.findingDomain,
      process_name: 'curl',
      http_method: 'POST',
      http_path: '/v2/collect',
      verdict: 'outside-policy',
      finding_kind: 'anomalous-endpoint',
      step_number: 4,
      running_step_number: 4,
    });
    expect(f.rows[1]).toMatchObject({ step_number: 4, running_step_number: 5 });
  });

  it('searches domain, ip, process and path, case-insensitively, with LIKE wildcards taken literally', async () => {
    const q = (search: string) => ok<Result<'network.query'>>('network.query', { filter: { search } });
    expect((await q('EXFIL')).total).toBe(2);
    expect((await q('curl')).rows.map((r) => r.id)).toEqual([STORY.findingCallId]);
    expect((await q('198.51.100.23')).total).toBe(1);
    expect((await q('/v2/collect')).total).toBe(1);
    expect((await q('%')).total).toBe(0);
    expect((await q('_')).total).toBe(0);
  });

  it('sorts by any column both ways and filters by process and time', async () => {
    const asc = await ok<Result<'network.query'>>('network.query', { sort: 'domain', dir: 'asc' });
    const names = asc.rows.map((r) => r.domain!);
    expect(names).toEqual([...names].sort());
    const desc = await ok<Result<'network.query'>>('network.query', { sort: 'domain', dir: 'desc' });
    expect(desc.rows.map((r) => r.domain)).toEqual([...names].reverse());
    for (const sort of ['process', 'endpoint', 'http', 'status', 'finding'] as const) {
      const r = await ok<Result<'network.query'>>('network.query', { sort, dir: 'desc' });
      expect(r.rows).toHaveLength(STORY.calls);
    }
    const byFinding = await ok<Result<'network.query'>>('network.query', { sort: 'finding' });
    expect(byFinding.rows.slice(0, 2).map((r) => r.id)).toEqual([STORY.findingCallId, STORY.beaconCallId]);
    const proc = await ok<Result<'network.query'>>('network.query', { filter: { processId: STORY.curlProcessId } });
    expect(proc.rows.map((r) => r.id)).toEqual([STORY.findingCallId]);
    const range = await ok<Result<'network.query'>>('network.query', {
      filter: { from: '2026-10-14T09:12:31Z', to: '2026-10-14T09:13:06Z' },
    });
    expect(range.rows.map((r) => r.id)).toEqual([9, 10, 11]);
  });

  it('gives the position of a call in the filtered order, -1 when filtered out, and the index of a time', async () => {
    expect(await ok('network.indexOf', { id: STORY.beaconCallId, filter: { findingsOnly: true } })).toEqual({
      index: 1,
    });
    expect(await ok('network.indexOf', { id: 1, filter: { findingsOnly: true } })).toEqual({ index: -1 });
    expect(await ok('network.indexOf', { id: 12, sort: 'ts', dir: 'desc' })).toEqual({ index: 0 });
    expect(await ok('network.indexAt', { ts: '2026-10-14T09:12:31.000Z' })).toEqual({ index: 8 });
    expect(await ok('network.indexAt', { ts: '2030-01-01T00:00:00Z' })).toEqual({ index: STORY.calls - 1 });
  });
});

describe('log queries', () => {
  it('windows the log by index and finds the line at a time', async () => {
    const w = await ok<Result<'log.window'>>('log.window', { offset: 0, limit: 5 });
    expect(w.total).toBeGreaterThan(250);
    expect(w.rows.map((r) => r.index)).toEqual([0, 1, 2, 3, 4]);
    expect(w.rows[0]!.ts).toMatch(/^2026-10-14T09:12:03\.100000000Z$/);
    const { index } = await ok<{ index: number }>('log.indexAt', { ts: '2026-10-14T09:12:31.500000000Z' });
    const at = await ok<Result<'log.window'>>('log.window', { offset: index - 1, limit: 2 });
    expect(at.rows[1]!.raw).toBe('collecting anonymous usage data for telemetry.exfil.example');
    expect(at.rows[1]!.ts).toBe('2026-10-14T09:12:31.500000000Z');
    expect(at.rows[0]!.ts! < '2026-10-14T09:12:31.5').toBe(true);
    expect(at.rows[1]!.step_number).toBe(4);
    const end = await ok<Result<'log.window'>>('log.window', { offset: w.total, limit: 10 });
    expect(end.rows).toEqual([]);
  });

  it('searches forward and backward with a total', async () => {
    const first = await ok<Result<'log.search'>>('log.search', { query: 'TELEMETRY', from: -1, direction: 'next' });
    expect(first.total_matches).toBe(3);
    const second = await ok<Result<'log.search'>>('log.search', {
      query: 'telemetry',
      from: first.index,
      direction: 'next',
    });
    expect(second.index).toBeGreaterThan(first.index);
    const third = await ok<Result<'log.search'>>('log.search', {
      query: 'telemetry',
      from: second.index,
      direction: 'next',
    });
    const thirdRow = (await ok<Result<'log.window'>>('log.window', { offset: third.index, limit: 1 })).rows[0]!;
    expect(thirdRow.raw).toBe('telemetry: sent');
    expect(
      (await ok<Result<'log.search'>>('log.search', { query: 'telemetry', from: third.index, direction: 'next' }))
        .index,
    ).toBe(-1);
    expect(
      (await ok<Result<'log.search'>>('log.search', { query: 'telemetry', from: second.index, direction: 'prev' }))
        .index,
    ).toBe(first.index);
    expect(
      (await ok<Result<'log.search'>>('log.search', { query: '100%', from: -1, direction: 'next' })).total_matches,
    ).toBe(0);
    const id = (await ok<Result<'log.window'>>('log.window', { offset: second.index, limit: 1 })).rows[0]!.id;
    expect(await ok('log.indexOfId', { id })).toEqual({ index: second.index });
  });

  it('outlines steps and pairs groups', async () => {
    const o = await ok<LogOutline>('log.outline');
    expect(o.steps.map((s) => s.number)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    for (let i = 1; i < o.steps.length; i++) expect(o.steps[i]!.first).toBe(o.steps[i - 1]!.last + 1);
    const rows = (await ok<Result<'log.window'>>('log.window', { offset: 0, limit: 2000 })).rows;
    for (const g of o.groups) {
      expect(rows[g.start]!.marker).toBe('group');
      expect(rows[g.end]!.marker).toBe('endgroup');
    }
    expect(o.groups.length).toBe(rows.filter((r) => r.marker === 'group').length);
  });
});

describe('errors and other methods', () => {
  it('answers every failure with one readable line', async () => {
    const cases: [string, unknown][] = [
      ['nope.method', {}],
      ['network.query', { limit: 'ten' }],
      ['network.query', { filter: { from: 'yesterday' } }],
      ['network.explain', { id: 999999 }],
      ['process.get', { id: 999999 }],
      ['log.window', { offset: -1, limit: 5 }],
      ['import.start', { paths: ['/etc/passwd'] }],
    ];
    for (const [m, p] of cases) {
      const env = await api.call(m, p);
      expect(env.ok, m).toBe(false);
      if (env.ok) continue;
      expect(env.error).not.toMatch(/\n|\bat .*\.ts:\d+/);
      expect(env.error.length).toBeGreaterThan(5);
    }
    const bad = await api.call('network.query', { filter: { from: 'yesterday' } });
    expect(bad.ok === false && bad.error).toContain('from');
    const local = await api.call('import.start', { paths: ['/etc/passwd'] });
    expect(local.ok === false && local.error).toMatch(/Unrecognized key: "paths"/);
  });

  it('routes the case, explain and process queries', async () => {
    const info = await ok<Result<'case.info'>>('case.info');
    expect(info.run?.repository).toBe(STORY.repository);
    expect(info.counts.network).toBe(STORY.calls);
    const ex = await ok<Result<'network.explain'>>('network.explain', { id: STORY.findingCallId });
    expect(ex.step?.name).toBe('Run npm ci');
    expect(ex.process?.exe).toBe('/usr/bin/curl');
    expect(ex.ancestors.map((a) => a.exe)).toContain('/usr/bin/sh');
    const proc = await ok<Result<'process.get'>>('process.get', { id: STORY.curlProcessId });
    expect(proc.calls.map((c) => c.id)).toEqual([STORY.findingCallId]);
    const raw = await ok<Result<'raw.get'>>('raw.get', { table: 'network', id: STORY.findingCallId });
    expect(raw.file).toContain('network.jsonl');
    expect(JSON.parse(raw.raw).domain).toBe(STORY.findingDomain);
  });
});

describe('log index with gaps in ids', () => {
  it('maps indexes through the ids when they are not contiguous', async () => {
    const p = path.join(dir, 'gaps.runlens');
    makeStoryCase(p, { testLines: 10 });
    const w = new Database(p);
    w.exec('DELETE FROM log_lines WHERE id % 7 = 3');
    const left = (w.prepare('SELECT id FROM log_lines ORDER BY id').all() as { id: number }[]).map((r) => r.id);
    w.close();
    const gapApi = createApi(p);
    try {
      const env = await gapApi.call('log.window', { offset: 10, limit: 5 });
      expect(env.ok && (env.value as Result<'log.window'>).rows.map((r) => r.id)).toEqual(left.slice(10, 15));
      const idx = await gapApi.call('log.indexOfId', { id: left[20] });
      expect(idx).toEqual({ ok: true, value: { index: 20 } });
      expect(await gapApi.call('log.indexOfId', { id: 3 })).toEqual({ ok: true, value: { index: -1 } });
    } finally {
      gapApi.close();
    }
  });
});
