// The default import takes the calls worker only for a bundle whose calls file is not above the size where its
// memory beside the import's costs more than the second core saves (calls-side.ts CALLS_WORKER_MAX_BYTES).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CALLS_WORKER_MAX_BYTES, callsWorkerSuits } from '../../electron/import/calls-side';

const dirs: string[] = [];
afterEach(() => {
  delete process.env.RUNLENS_CALLS_WORKER_MAX_BYTES;
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function bundleWithCalls(bytes: number | null): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'rl-calls-suits-'));
  dirs.push(d);
  if (bytes !== null) fs.writeFileSync(path.join(d, 'network.jsonl'), Buffer.alloc(bytes, 0x20));
  return d;
}

describe('callsWorkerSuits', () => {
  it('takes the worker up to the limit, not above it', () => {
    process.env.RUNLENS_CALLS_WORKER_MAX_BYTES = '1000';
    expect(callsWorkerSuits(bundleWithCalls(1000))).toBe(true);
    expect(callsWorkerSuits(bundleWithCalls(1001))).toBe(false);
    expect(callsWorkerSuits(bundleWithCalls(null))).toBe(true); // no calls file: the worker finds nothing to take
  });

  it('the limit lies between benchmark 1 (500k calls) and benchmark 9 --huge (3.1M calls)', () => {
    // ~176 bytes a call line in the generated bundles (bench/gen-data.ts)
    expect(CALLS_WORKER_MAX_BYTES).toBeGreaterThan(500_000 * 250);
    expect(CALLS_WORKER_MAX_BYTES).toBeLessThan(3_100_000 * 150);
  });
});
