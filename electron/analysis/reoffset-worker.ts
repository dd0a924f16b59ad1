/**
 * The re-offset job inside the import worker thread (dist/electron/import-worker.cjs runs it when its workerData has
 * `mode: 'reoffset'`): runs `reoffsetCase`, posts `{type:'progress'}`, then `{type:'done', summary}` or
 * `{type:'error', error:{kind, message}}`. A `{type:'cancel'}` message aborts it at the next phase boundary.
 */
import { parentPort } from 'node:worker_threads';
import { ImportCancelledError } from '../import/errors';
import { reoffsetCase, type ReoffsetProgress, type ReoffsetSummary } from './reoffset-case';
import { OffsetError, type RequestedOffset } from './shift-sources';

export interface ReoffsetWorkerData {
  mode: 'reoffset';
  from: string;
  to: string;
  partialPath: string;
  offsets: RequestedOffset[];
}

export type ReoffsetWorkerMessage =
  | { type: 'progress'; progress: ReoffsetProgress }
  | { type: 'done'; summary: ReoffsetSummary }
  | { type: 'error'; error: { kind: 'cancelled' | 'offset' | 'internal'; message: string } };

export function isReoffsetWorkerData(d: unknown): d is ReoffsetWorkerData {
  return typeof d === 'object' && d !== null && (d as { mode?: unknown }).mode === 'reoffset';
}

export async function reoffsetWorkerMain(data: ReoffsetWorkerData): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('the re-offset worker must run as a worker thread');
  const post = (m: ReoffsetWorkerMessage) => port.postMessage(m);
  const controller = new AbortController();
  port.on('message', (m: unknown) => {
    if (m === 'cancel' || (typeof m === 'object' && m !== null && (m as { type?: unknown }).type === 'cancel'))
      controller.abort();
  });
  try {
    const summary = await reoffsetCase({
      ...data,
      signal: controller.signal,
      onProgress: (progress) => post({ type: 'progress', progress }),
    });
    post({ type: 'done', summary });
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    if (e instanceof ImportCancelledError || controller.signal.aborted)
      post({ type: 'error', error: { kind: 'cancelled', message: 're-offset cancelled' } });
    else post({ type: 'error', error: { kind: e instanceof OffsetError ? 'offset' : 'internal', message } });
  } finally {
    port.close();
  }
}
