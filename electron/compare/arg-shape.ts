/**
 * The shape of a process's arguments: what stays the same when the same job runs again. A run's processes differ
 * in pids (not used here at all), in temporary names (`_temp/<uuid>.sh`), in numbers (ports, worker counts, file
 * descriptors) and in hashes (a commit the runner fetched); those become <uuid>, <hex> and <n>, and the rest of
 * each argument is kept as it was. Two processes are "the same" across runs when their executable and their
 * argument shape are equal.
 */

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
/** A run of 7+ hex digits with at least one decimal digit in it (commit, digest, random name); words stay words. */
const HEX = /(?<![0-9a-z])(?=[0-9a-f]*[0-9])[0-9a-f]{7,}(?![0-9a-z])/gi;
/** A whole number standing alone (not part of a word such as node20). */
const NUMBER = /(?<![0-9a-z_])\d+(?![0-9a-z_])/gi;

export function argShape(arg: string): string {
  return arg.replace(UUID, '<uuid>').replace(HEX, '<hex>').replace(NUMBER, '<n>');
}

export function argsShape(args: readonly string[]): string[] {
  return args.map(argShape);
}

/** The identity of a process across runs: executable + argument shape (a string, for maps). */
export function processKey(exe: string, shape: readonly string[]): string {
  return JSON.stringify([exe, ...shape]);
}
