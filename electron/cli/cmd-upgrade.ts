/** `runlens upgrade <case> [--dir DIR] [--json]`: an older case, upgraded as a copy (the original is never changed). */
import path from 'node:path';
import { upgradeCaseCopy } from '../db/upgrade';
import { CaseFileError } from '../db/open';
import { parseArgs } from './args';
import { mustExist } from './case-arg';
import { escapeText } from './escape';
import { InputError, UsageError } from './errors';
import { showHelp, writeJson, writeText } from './output';

export const UPGRADE_HELP = `Usage: runlens upgrade <case> [--dir DIR] [--json]

Write an upgraded copy of a case made by an older Runlens into the case folder (or DIR) and print its path.
The original file is only read: its bytes and times stay as they were. A current case is left as it is.
A file whose schema is not one Runlens made (views, triggers, changed tables) is refused.
`;

export async function upgradeCommand(argv: string[]): Promise<number> {
  const a = parseArgs(argv, { dir: { value: true }, json: {}, help: {} }, 'upgrade');
  if (a.has('help')) return showHelp(UPGRADE_HELP);
  if (a.positionals.length !== 1) throw new UsageError('upgrade: give exactly one case file');
  const from = a.positionals[0]!;
  mustExist(from);
  let r;
  try {
    const dir = a.get('dir');
    r = dir === undefined ? upgradeCaseCopy(from) : upgradeCaseCopy(from, dir);
  } catch (e) {
    if (e instanceof CaseFileError) throw new InputError(e.message);
    throw e;
  }
  if (a.has('json')) writeJson(r);
  else writeText(escapeText(r.case === path.resolve(from) ? `Up to date: ${r.case}` : `Upgraded copy: ${r.case}`));
  return 0;
}
