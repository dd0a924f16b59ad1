/**
 * The query process (entry point electron/worker.ts when it runs as a process of its own: a Node child of
 * `runlens serve`, or an Electron utility process of the desktop app). It holds a read-only connection per case and
 * answers `{ id, op: 'run', casePath, method, params }` with `{ id, ok: true, value }` or `{ id, ok: false, error }`
 * (one readable line); `{ op: 'close', casePath }` closes one. One query at a time; the pool
 * (query-worker-pool.ts) gives each a time limit and kills the process whose query runs past it. A process, not a
 * thread: a SQLite statement running in native code cannot be stopped in a thread (Worker.terminate waits for it
 * to return, which an endless recursive query never does); a process can always be killed.
 */
import { answerQuery, failure, type QueryContext } from './dispatch';
import { CaseConnections } from './query-engine';
import { trace } from './trace';

export type QueryRequest =
  | { id: number; op: 'run'; casePath: string; partial?: boolean; method: string; params: unknown; ctx?: QueryContext }
  | { id: number; op: 'close'; casePath: string };
export type QueryAnswer = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: string } | { id: 0; ready: true };

/** Electron's utility process port (`process.parentPort`), when this is one. */
interface ParentPort {
  on(event: 'message', cb: (e: { data: unknown }) => void): void;
  postMessage(m: unknown): void;
}

export function queryProcessMain(): void {
  const electronPort = (process as unknown as { parentPort?: ParentPort }).parentPort;
  let post: (m: QueryAnswer) => void;
  let listen: (cb: (m: QueryRequest) => void) => void;
  if (electronPort) {
    post = (m) => electronPort.postMessage(m);
    listen = (cb) => electronPort.on('message', (e) => cb(e.data as QueryRequest));
  } else if (process.send) {
    post = (m) => process.send!(m);
    listen = (cb) => process.on('message', (m) => cb(m as QueryRequest));
    // The parent is gone: nothing will ever ask again.
    process.on('disconnect', () => process.exit(0));
  } else {
    throw new Error('the query process must be started by Runlens (a child process with IPC)');
  }
  const dbs = new CaseConnections();
  listen((m) => {
    if (m.op === 'close') {
      dbs.close(m.casePath);
      return;
    }
    let answer: QueryAnswer;
    trace(`query: ${m.method}`);
    try {
      const db = dbs.get(m.casePath, !!m.partial);
      answer = { id: m.id, ok: true, value: answerQuery(db, m.method, m.params, m.ctx) };
    } catch (e) {
      answer = { id: m.id, ok: false, error: (failure(m.method, e) as { error: string }).error };
    }
    trace(`query: ${m.method} answered`);
    post(answer);
  });
  trace('query process: ready');
  post({ id: 0, ready: true });
}
