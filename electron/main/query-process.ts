/**
 * The desktop's query processes: Electron utility processes running the one worker entry point (the Node side of
 * Electron without its RunAsNode switch), so case queries never run on the main process's thread, which draws the
 * windows, and one that passes its time limit is killed (api/query-worker-pool.ts).
 */
import { utilityProcess } from 'electron';
import type { QueryAnswer } from '../api/query-worker';
import type { QueryProcessSpawner } from '../api/query-worker-pool';

export const electronQueryProcess: QueryProcessSpawner = (workerPath) => {
  const child = utilityProcess.fork(workerPath, [], { serviceName: 'Runlens queries', stdio: 'inherit' });
  return {
    send: (m) => child.postMessage(m),
    onMessage: (cb) => void child.on('message', (m: unknown) => cb(m as QueryAnswer)),
    onExit: (cb) => void child.on('exit', (code: number) => cb(`exit code ${code}`)),
    kill: () => void child.kill(),
  };
};
