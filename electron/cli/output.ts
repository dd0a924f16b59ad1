/** Writing results: exactly one JSON document with `--json`, escaped human text otherwise. */
export function writeJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? jsonBigint(v) : v), 2) + '\n');
}

/** Integers beyond ±2^53 leave as strings so no JSON reader rounds them; smaller ones as numbers. */
export function jsonBigint(v: bigint): number | string {
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString();
}

export function writeText(text: string): void {
  process.stdout.write(text.endsWith('\n') ? text : text + '\n');
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export function showHelp(text: string): number {
  writeText(text);
  return 0;
}
