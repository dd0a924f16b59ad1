/** The CLI's argument parsing (electron/cli/args.ts, on util.parseArgs): what every command relies on. */
import { describe, expect, it } from 'vitest';
import { parseArgs } from '../../electron/cli/args';
import { UsageError } from '../../electron/cli/errors';

const spec = { case: { value: true }, force: {}, offset: { value: true, repeat: true }, help: {} };

describe('parseArgs', () => {
  it('reads positionals, flags with values in both spellings, repeats, -h and --', () => {
    const a = parseArgs(['bundle.zip', '--case', 'x.runlens', '--offset=net=-2', '--offset', '-3600', '--force', '-h', '--', '--not-a-flag'], spec, 'import');
    expect(a.positionals).toEqual(['bundle.zip', '--not-a-flag']);
    expect(a.get('case')).toBe('x.runlens');
    expect(a.all('offset')).toEqual(['net=-2', '-3600']);
    expect(a.has('force')).toBe(true);
    expect(a.has('help')).toBe(true);
    expect(a.has('json')).toBe(false);
  });

  it('refuses what the command does not declare, with one line naming the command', () => {
    const bad: [string[], RegExp][] = [
      [['--nope'], /^import: unknown option --nope$/],
      [['-q'], /^import: unknown option -q$/],
      [['--case'], /^import: --case needs a value$/],
      [['--force=yes'], /^import: --force takes no value$/],
      [['--case', 'a', '--case', 'b'], /^import: --case given twice$/],
      [['--constructor'], /^import: unknown option --constructor$/],
    ];
    for (const [argv, msg] of bad) {
      let err: unknown;
      try {
        parseArgs(argv, spec, 'import');
      } catch (e) {
        err = e;
      }
      expect(err, argv.join(' ')).toBeInstanceOf(UsageError);
      expect((err as Error).message).toMatch(msg);
    }
  });
});
