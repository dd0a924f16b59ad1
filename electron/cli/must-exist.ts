/** A path the command reads must exist (exit 1 otherwise). Its own module: `runlens serve` checks its target before
 *  loading the import's code (case-arg.ts re-exports it). */
import { existsSync } from 'node:fs';
import { InputError } from './errors';

export function mustExist(p: string): void {
  if (!existsSync(p)) throw new InputError(`no such file or folder: ${p}`);
}
