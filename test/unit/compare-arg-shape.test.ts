/** The argument shape that makes processes comparable across runs (electron/compare/arg-shape.ts). */
import { describe, expect, it } from 'vitest';
import { argShape, processKey } from '../../electron/compare/arg-shape';
import { stepName, parseUses } from '../../electron/compare/case-profile';

describe('argShape', () => {
  it('replaces what varies between runs and keeps the rest', () => {
    expect(argShape('/home/runner/work/_temp/3f2a1b2c-1111-2222-3333-444455556666.sh')).toBe('/home/runner/work/_temp/<uuid>.sh');
    expect(argShape('+9f1c2e7a4b3d5c6e8f90a1b2c3d4e5f60718293a:refs/remotes/origin/main')).toBe('+<hex>:refs/remotes/origin/main');
    expect(argShape('--maxWorkers=3')).toBe('--maxWorkers=<n>');
    expect(argShape('139')).toBe('<n>');
    // Words stay words: digits inside a name, hex-looking words without a digit, short hex.
    expect(argShape('node20')).toBe('node20');
    expect(argShape('deadbeefcafe')).toBe('deadbeefcafe');
    expect(argShape('/tmp/.npm-cache-8f3a.json')).toBe('/tmp/.npm-cache-8f3a.json');
    expect(argShape('https://telemetry.exfil.example/v2/collect')).toBe('https://telemetry.exfil.example/v2/collect');
  });

  it('keys a process by executable and shape, never by pid', () => {
    expect(processKey('/usr/bin/git', ['git', 'fetch', '--depth=<n>'])).toBe(processKey('/usr/bin/git', ['git', 'fetch', '--depth=<n>']));
    expect(processKey('/usr/bin/git', ['git'])).not.toBe(processKey('/bin/git', ['git']));
  });
});

describe('steps and actions', () => {
  it('a step name without its action ref; uses split into action and ref', () => {
    expect(stepName('Run actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683')).toBe('Run actions/checkout');
    expect(stepName('Post Run actions/setup-node@v4')).toBe('Post Run actions/setup-node');
    expect(stepName('Run npm ci')).toBe('Run npm ci');
    expect(parseUses('actions/checkout@v4')).toEqual({ action: 'actions/checkout', ref: 'v4' });
    expect(parseUses('github/codeql-action/init@abc1234')).toEqual({ action: 'github/codeql-action/init', ref: 'abc1234' });
    expect(parseUses('docker://alpine:3.20')).toEqual({ action: 'docker://alpine:3.20', ref: '' });
    expect(parseUses('no-ref')).toBeNull();
  });
});
