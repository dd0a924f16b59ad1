/**
 * Where case queries run. The case owner asks a QueryEngine to open a case (read-only: a file that is not a case
 * throws a one-line error), to answer one query method from it, and to close it. `inThreadQueries` answers in the
 * calling thread (tests, benchmarks, the CLI); hosts that answer requests use the query worker pool
 * (api/query-worker-pool.ts), which keeps queries off that thread and stops one that runs past its time limit.
 */
import { openCaseReadOnly, type Db } from '../db/open';
import { answerQuery, type QueryContext } from './dispatch';

export interface QueryEngine {
  open(casePath: string): void;
  run(casePath: string, method: string, params: unknown, ctx?: QueryContext): Promise<unknown>;
  close(casePath: string): void;
  dispose(): void;
}

export function inThreadQueries(): QueryEngine {
  const dbs = new Map<string, Db>();
  return {
    open(casePath) {
      if (!dbs.has(casePath)) dbs.set(casePath, openCaseReadOnly(casePath));
    },
    run(casePath, method, params, ctx) {
      const db = dbs.get(casePath);
      if (!db) return Promise.reject(new Error(`the case is not open: ${casePath}`));
      try {
        return Promise.resolve(answerQuery(db, method, params, ctx));
      } catch (e) {
        return Promise.reject(e instanceof Error ? e : new Error(String(e)));
      }
    },
    close(casePath) {
      dbs.get(casePath)?.close();
      dbs.delete(casePath);
    },
    dispose() {
      for (const db of dbs.values()) db.close();
      dbs.clear();
    },
  };
}
