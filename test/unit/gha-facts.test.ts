/** What a GitHub log line says about its run and step (gha/read-log.ts): read off real lines of the fixtures. */
import { describe, expect, it } from 'vitest';
import {
  isInnerStepFailure,
  isStepFailure,
  runInfoFromLine,
  stepNameFromLog,
} from '../../electron/import/gha/read-log';

describe('log-derived facts', () => {
  it('job name, repository and workflow, run id from a Harden-Runner insights link', () => {
    expect(runInfoFromLine('Complete job name: test')).toEqual({ job: 'test' });
    expect(
      runInfoFromLine('Job defined at: lewis-Dimun/greenfashionscore-v2/.github/workflows/ci.yml@refs/heads/main'),
    ).toEqual({
      repository: 'lewis-Dimun/greenfashionscore-v2',
      workflow_path: '.github/workflows/ci.yml',
      ref: 'refs/heads/main',
    });
    expect(
      runInfoFromLine(
        'View security insights: https://app.stepsecurity.io/github/jauderho/dockerfiles/actions/runs/1736506434',
      ),
    ).toEqual({
      repository: 'jauderho/dockerfiles',
      run_id: '1736506434',
    });
    expect(runInfoFromLine('Run npm test')).toBeNull();
  });
  it('a step failed by the runner’s exit-code line, or an action’s failed tool (@actions/exec), only', () => {
    expect(isStepFailure('error', 'Process completed with exit code 1.')).toBe(true);
    // wishapp 0_test.txt line 1470 (the cargo action's failure)
    expect(isStepFailure('error', "The process '/home/runner/.cargo/bin/cargo' failed with exit code 101")).toBe(true);
    expect(isStepFailure('error', 'Dependencies lock file is not found')).toBe(false);
    expect(isStepFailure('error', "The process '/usr/bin/git' failed with exit code 128 (retrying)")).toBe(false);
    expect(isStepFailure('warning', 'Process completed with exit code 1.')).toBe(false);
  });
  it('a composite action’s inner step failed: the runner’s end-action line with conclusion=failure', () => {
    // MenuGreen log line 287
    expect(
      isInnerStepFailure(
        null,
        '##[end-action id=__appleboy_ssh-action.__run_2;outcome=failure;conclusion=failure;duration_ms=97657]',
      ),
    ).toBe(true);
    // continue-on-error: the outcome failed, the conclusion did not
    expect(isInnerStepFailure(null, '##[end-action id=x;outcome=failure;conclusion=success;duration_ms=500]')).toBe(
      false,
    );
    expect(isInnerStepFailure(null, '##[end-action id=x;outcome=success;conclusion=success;duration_ms=16]')).toBe(
      false,
    );
    expect(isInnerStepFailure(null, 'echo ##[end-action id=x;outcome=failure;conclusion=failure]')).toBe(false);
  });
  it('step file names get back the "/" GitHub dropped; display names stay', () => {
    expect(stepNameFromLog('Run actionscheckout@v3', 'Run actions/checkout@v3')).toBe('Run actions/checkout@v3');
    expect(stepNameFromLog('Run actions_checkout@v4', 'Run actions/checkout@v4')).toBe('Run actions/checkout@v4');
    expect(stepNameFromLog('Setup Node.js', 'Run actions/setup-node@v4')).toBe('Setup Node.js');
    expect(stepNameFromLog('Run ESLint', null)).toBe('Run ESLint');
  });
});
