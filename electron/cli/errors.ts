/** The CLI's two kinds of expected failure: bad usage (exit 2) and bad input (exit 1). Anything else is a bug. */
export class UsageError extends Error {
  readonly exitCode = 2;
}
export class InputError extends Error {
  readonly exitCode = 1;
}
