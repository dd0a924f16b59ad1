/**
 * "Which step talked about this host?" in a case that has logs only: `explain --endpoint` lists the steps whose log
 * lines write the host (log_mentions), labelled as what the log says, apart from observed calls (none here).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildCli, runlens, SAMPLE_BUNDLE } from './cli-helpers';

describe('explain on a logs-only case', () => {
  let dir: string;
  let log: string;
  beforeAll(async () => {
    await buildCli();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'runlens-mentions-'));
    // the sample's job log alone: line 236 writes "background sync enabled (beacon.exfil.example)" in Run npm ci
    log = path.join(dir, '1_test.txt');
    fs.copyFileSync(path.join(SAMPLE_BUNDLE, 'logs', '1_test.txt'), log);
  });

  it('names the step whose log mentions the host, and says no call was observed', () => {
    const env = { RUNLENS_DATA_DIR: path.join(dir, 'data') };
    const j = runlens(['explain', log, '--endpoint', 'beacon.exfil.example', '--json'], env);
    expect(j.code).toBe(0);
    const out = JSON.parse(j.stdout) as { total: number; mentioned_in_log: { job: string; step: string | null; lines: number }[] };
    expect(out.total).toBe(0);
    expect(out.mentioned_in_log).toEqual([expect.objectContaining({ step: 'Run npm ci', lines: 1 })]);
    const t = runlens(['explain', log, '--endpoint', 'beacon.exfil.example'], env);
    expect(t.stdout).toContain('No calls to beacon.exfil.example in this case.');
    expect(t.stdout).toMatch(/Mentioned in the log \(what the log writes, not an observed call\): 1 step\n\s+test · Run npm ci: 1 line/);
    // a host the log never writes is not "mentioned"
    const none = JSON.parse(runlens(['explain', log, '--endpoint', 'nothing.example', '--json'], env).stdout) as { mentioned_in_log: unknown[] };
    expect(none.mentioned_in_log).toEqual([]);
  });
});
