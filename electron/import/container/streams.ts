/** Small stream helpers of the container layer. */
import type { PassThrough } from 'node:stream';

/**
 * Keep a stream's late or duplicate 'error' events from becoming uncaught exceptions (yauzl re-emits inflate errors
 * on a later tick; zlib may error after its reader stopped). The error itself still reaches the reader: async
 * iterators and pipes attach their own listeners.
 */
export function quiet<T extends { on(event: 'error', fn: (e: Error) => void): unknown }>(s: T): T {
  s.on('error', () => undefined);
  return s;
}

export function errMsg(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Wait until a writable can take more, or is gone. */
export function drainOrClose(w: PassThrough): Promise<void> {
  if (w.destroyed || w.writableEnded) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      w.off('drain', done);
      w.off('close', done);
      resolve();
    };
    w.on('drain', done);
    w.on('close', done);
  });
}
