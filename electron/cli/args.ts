/**
 * A tiny argument parser: positionals, `--flag`, `--flag value`, `--flag=value`, repeatable flags, `--` ends flags.
 * Every command declares its flags; anything else is a UsageError (exit 2).
 */
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
  const positionals: string[] = [];
  const flags = new Map<string, string[]>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (a.startsWith('--') || (a.startsWith('-') && a.length === 2 && a !== '-')) {
      const eq = a.indexOf('=');
      let name = eq >= 0 ? a.slice(2, eq) : a.startsWith('--') ? a.slice(2) : a.slice(1);
      if (name === 'h') name = 'help';
      const s = spec[name];
      if (!s) throw new UsageError(`${command}: unknown option ${a.slice(0, eq >= 0 ? eq : undefined)}`);
      let v = 'true';
      if (s.value) {
        if (eq >= 0) v = a.slice(eq + 1);
        else if (i + 1 < argv.length) v = argv[++i]!;
        else throw new UsageError(`${command}: --${name} needs a value`);
      } else if (eq >= 0) {
        throw new UsageError(`${command}: --${name} takes no value`);
      }
      const prev = flags.get(name);
      if (prev && !s.repeat) throw new UsageError(`${command}: --${name} given twice`);
      flags.set(name, [...(prev ?? []), v]);
    } else {
      positionals.push(a);
    }
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
