/**
 * The network table's window and position queries agree for every sort, direction and filter: the position
 * `network.indexOf` gives each call is where `network.query` puts it, whatever the page size.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCaseReadOnly, type Db } from '../../electron/db/open';
import { runImport } from '../../electron/import/run-import';
import { networkIndexAt, networkIndexOf, queryNetwork } from '../../electron/queries/network-list';
import { methods } from '../../shared/api';
import { tempDir } from './import-helpers';

const SAMPLE = path.join(__dirname, '../../resources/sample-bundle');
let dir: string;
let db: Db;

beforeAll(async () => {
  dir = tempDir('rl-netlist-');
  const summary = await runImport({ inputs: [SAMPLE], casePath: path.join(dir, 'sample.runlens') });
  db = openCaseReadOnly(summary.case);
});
afterAll(() => {
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const sorts = ['ts', 'process', 'domain', 'endpoint', 'http', 'status', 'finding'] as const;
const filters = [{}, { findingsOnly: true }, { search: 'node' }, { search: 'exfil POST' }];

describe('network.query and network.indexOf', () => {
  for (const sort of sorts) {
    for (const dir of ['asc', 'desc'] as const) {
      it(`agree for sort ${sort} ${dir}`, () => {
        for (const filter of filters) {
          const all = queryNetwork(db, methods['network.query'].params.parse({ filter, sort, dir, limit: 1000 }));
          expect(all.rows).toHaveLength(all.total);
          if (!('search' in filter)) expect(all.total).toBeGreaterThan(0);
          // pages of 7 stitch together into the whole list
          const paged = [];
          for (let off = 0; off < all.total; off += 7) {
            paged.push(...queryNetwork(db, methods['network.query'].params.parse({ filter, sort, dir, offset: off, limit: 7 })).rows);
          }
          expect(paged.map((r) => r.id)).toEqual(all.rows.map((r) => r.id));
          all.rows.forEach((r, i) => {
            expect(networkIndexOf(db, methods['network.indexOf'].params.parse({ id: r.id, filter, sort, dir })).index).toBe(i);
          });
        }
      });
    }
  }

  it('time order is by time, then id; a filtered-out call has no position', () => {
    const all = queryNetwork(db, methods['network.query'].params.parse({ limit: 1000 })).rows;
    for (let i = 1; i < all.length; i++) expect(all[i - 1]!.ts <= all[i]!.ts).toBe(true);
    const allowed = all.find((r) => r.finding_id === null)!;
    expect(networkIndexOf(db, methods['network.indexOf'].params.parse({ id: allowed.id, filter: { findingsOnly: true } })).index).toBe(-1);
  });

  it('indexAt finds the first call at or after a time', () => {
    const all = queryNetwork(db, methods['network.query'].params.parse({ limit: 1000 })).rows;
    const k = Math.floor(all.length / 2);
    expect(networkIndexAt(db, methods['network.indexAt'].params.parse({ ts: all[k]!.ts })).index).toBe(all.findIndex((r) => r.ts === all[k]!.ts));
  });
});
