/**
 * Command-line arguments on Node's `util.parseArgs`: positionals, `--flag`, `--flag value`, `--flag=value`,
 * repeatable flags, `--` ends flags, `-h` is `--help`. Every command declares its flags; anything else is a
 * UsageError (exit 2) with one readable line. `util.parseArgs` reads the arguments (non-strict, with tokens);
 * the checks are ours, so the messages name the command and a value may start with a dash (`--offset -3600`).
 */
import { parseArgs as nodeParseArgs } from 'node:util';
import { UsageError } from './errors';

export interface FlagSpec {
  /** Takes a value (else boolean). */
  value?: boolean;
  /** May be given several times (values collected in order). */
  repeat?: boolean;
}

export interface Parsed {
  positionals: string[];
  flags: Map<string, string[]>;
  has(name: string): boolean;
  get(name: string): string | undefined;
  all(name: string): string[];
}

export function parseArgs(argv: readonly string[], spec: Record<string, FlagSpec>, command: string): Parsed {
  const options = Object.fromEntries(
    Object.entries(spec).map(([name, s]) => [
      name,
      { type: s.value ? ('string' as const) : ('boolean' as const), multiple: true, ...(name === 'help' ? { short: 'h' } : {}) },
    ]),
  );
  const { tokens } = nodeParseArgs({ args: [...argv], options, strict: false, allowPositionals: true, tokens: true });
  const positionals: string[] = [];
  const flags = new Map<string, string[]>();
  for (const t of tokens) {
    if (t.kind === 'positional') positionals.push(t.value);
    if (t.kind !== 'option') continue;
    const s = Object.prototype.hasOwnProperty.call(spec, t.name) ? spec[t.name] : undefined;
    if (!s) throw new UsageError(`${command}: unknown option ${t.rawName}`);
    let v = 'true';
    if (s.value) {
      if (t.value === undefined) throw new UsageError(`${command}: --${t.name} needs a value`);
      v = t.value;
    } else if (t.inlineValue) {
      throw new UsageError(`${command}: --${t.name} takes no value`);
    }
    const prev = flags.get(t.name);
    if (prev && !s.repeat) throw new UsageError(`${command}: --${t.name} given twice`);
    flags.set(t.name, [...(prev ?? []), v]);
  }
  return {
    positionals,
    flags,
    has: (n) => flags.has(n),
    get: (n) => flags.get(n)?.[0],
    all: (n) => flags.get(n) ?? [],
  };
}

export function intFlag(p: Parsed, name: string, dflt: number, min: number, max: number, command: string): number {
  const v = p.get(name);
  if (v === undefined) return dflt;
  if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > max) {
    throw new UsageError(`${command}: --${name} must be a whole number from ${min} to ${max}, not ${JSON.stringify(v)}`);
  }
  return Number(v);
}

export function numberFlag(p: Parsed, name: string, dflt: number, min: number, max: number, command: string): number {
  const v = p.get(name);
  if (v === undefined) return dflt;
  if (!/^\d+(\.\d+)?$/.test(v) || Number(v) < min || Number(v) > max) {
    throw new UsageError(`${command}: --${name} must be a number from ${min} to ${max}, not ${JSON.stringify(v)}`);
  }
  return Number(v);
}
