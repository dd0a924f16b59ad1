/**
 * Where case queries run. The case owner asks a QueryEngine to open a case (read-only: a file that is not a case
 * throws a one-line error), to answer one query method from it, and to close it. `inThreadQueries` answers in the
 * calling thread (tests, benchmarks, the CLI); hosts that answer requests use the query worker pool
 * (api/query-worker-pool.ts), which keeps queries off that thread and stops one that runs past its time limit.
 */
import { openCaseReadOnly, type Db } from '../db/open';
import { PARTIAL_BUSY_MS } from '../import/partial-case';
import { answerQuery, type QueryContext } from './dispatch';

export interface OpenOptions {
  /** A case its import is still building (first screen first): see CaseConnections. */
  partial?: boolean;
}

export interface QueryEngine {
  /** A case is about to be opened (an import's case was named): start what its queries will need. */
  prepare?(): void;
  open(casePath: string, opts?: OpenOptions): void;
  run(casePath: string, method: string, params: unknown, ctx?: QueryContext): Promise<unknown>;
  close(casePath: string): void;
  dispose(): void;
}

/**
 * Read-only connections per case file, for whoever answers queries (this thread, or a query process). A partial
 * case (its import still writing it in another thread) is opened with openCaseReadOnly's `partial` option; before
 * each query its `data_version` is compared with the last one seen, and after any commit of the importer the
 * connection is opened afresh, so the per-connection caches of the queries (the log's line index, the calls' order,
 * the process tree) never describe an older state of the file. Each query is one short read: the connection holds
 * no transaction between queries, so the importer's next commit waits at most for the query running now.
 */
export class CaseConnections {
  private readonly dbs = new Map<string, { db: Db; partial: boolean; version: number }>();

  /** `partialBusyMs`: how long a read of a partial case waits for the importer's commit (default PARTIAL_BUSY_MS). */
  constructor(private readonly partialBusyMs = PARTIAL_BUSY_MS) {}

  get(casePath: string, partial = false): Db {
    let c = this.dbs.get(casePath);
    if (c && c.partial) {
      const v = c.db.pragma('data_version', { simple: true }) as number;
      if (v !== c.version) {
        c.db.close();
        this.dbs.delete(casePath);
        c = undefined;
      }
    }
    if (!c) {
      const db = partial ? openCaseReadOnly(casePath, { partial: true, busyTimeoutMs: this.partialBusyMs }) : openCaseReadOnly(casePath);
      c = { db, partial, version: partial ? (db.pragma('data_version', { simple: true }) as number) : 0 };
      this.dbs.set(casePath, c);
    }
    return c.db;
  }

  has(casePath: string): boolean {
    return this.dbs.has(casePath);
  }

  close(casePath: string): void {
    this.dbs.get(casePath)?.db.close();
    this.dbs.delete(casePath);
  }

  closeAll(): void {
    for (const c of this.dbs.values()) c.db.close();
    this.dbs.clear();
  }
}

export function inThreadQueries(): QueryEngine {
  const dbs = new CaseConnections();
  const partial = new Map<string, boolean>();
  return {
    open(casePath, opts = {}) {
      partial.set(casePath, !!opts.partial);
      dbs.get(casePath, !!opts.partial);
    },
    run(casePath, method, params, ctx) {
      if (!partial.has(casePath)) return Promise.reject(new Error(`the case is not open: ${casePath}`));
      try {
        const db = dbs.get(casePath, partial.get(casePath));
        return Promise.resolve(answerQuery(db, method, params, ctx));
      } catch (e) {
        return Promise.reject(e instanceof Error ? e : new Error(String(e)));
      }
    },
    close(casePath) {
      partial.delete(casePath);
      dbs.close(casePath);
    },
    dispose() {
      partial.clear();
      dbs.closeAll();
    },
  };
}
