/**
 * Writing results: exactly one JSON document with `--json`, escaped human text otherwise. Secrets in either are
 * masked (shared/secrets.ts) unless the command was asked to reveal them (`--reveal-secrets`).
 */
import { maskDeep, maskSecrets } from '../../shared/secrets';

let reveal = false;
export function setRevealSecrets(on: boolean): void {
  reveal = on;
}

export function writeJson(value: unknown): void {
  const v = reveal ? value : maskDeep(value);
  process.stdout.write(JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? jsonBigint(x) : x), 2) + '\n');
}

/** Integers beyond ±2^53 leave as strings so no JSON reader rounds them; smaller ones as numbers. */
export function jsonBigint(v: bigint): number | string {
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString();
}

export function writeText(text: string): void {
  const t = reveal ? text : maskSecrets(text);
  process.stdout.write(t.endsWith('\n') ? t : t + '\n');
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export function showHelp(text: string): number {
  writeText(text);
  return 0;
}
