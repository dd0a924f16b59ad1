/**
 * In-memory process instances and the pid lookup every analysis pass uses. An instance is a pid plus its start;
 * `lookup(pid, t)` finds the instance of that pid whose lifetime `[start, end]` holds `t` (with no exit: the
 * latest start at or before `t`), allowing `toleranceNs` either side for clocks of different sources.
 */

export interface Proc {
  /** Row id in `processes` (assigned in creation order, 1-based). */
  id: number;
  pid: number;
  ppid: number | null;
  start: bigint | null;
  end: bigint | null;
  exe: string | null;
  /** JSON array text, as in process_events. */
  args: string | null;
  cwd: string | null;
  uid: number | null;
  exitCode: number | null;
  key: string | null;
  parentKey: string | null;
  /** The process_events row that gave this instance its fields (raw, line, source). */
  primaryEventId: number;
  primaryQuality: number;
  sourceId: number | null;
  line: number | null;
  /** `source|origin` of the first record of this instance, and of the others merged into it (null: none other). */
  firstFrom: string;
  moreFrom: Set<string> | null;
  /**
   * Its exe, args, cwd and key are its primary event's, as that row stores them (no record merged into it; text or
   * null): `processes` takes them from that row (process-identity.ts `writeProcessModel`).
   */
  asEvent: boolean;
  /** The instance this one replaced by an exec of a live pid. */
  replaced: Proc | null;
  parent: Proc | null;
  rootReason: string | null;
  depth: number;
  isWorker: boolean;
  /** The step's entry process: the ancestor (or self) whose parent is the runner's worker. */
  entry: Proc | null;
  /** Step of this instance's tree (see attribution.ts); `entryStepId` only when the chain reaches the worker. */
  stepId: number | null;
  entryStepId: number | null;
  /** Lower bound of the lifetime for lookups: start, or just after the previous instance's end. */
  lo: bigint | null;
}

export const ONE_MS = 1_000_000n;

export class PidIndex {
  private readonly byPid = new Map<number, Proc[]>();

  constructor(procs: Iterable<Proc>, private readonly toleranceNs: bigint = ONE_MS) {
    for (const p of procs) {
      let a = this.byPid.get(p.pid);
      if (!a) this.byPid.set(p.pid, (a = []));
      a.push(p);
    }
    for (const a of this.byPid.values()) {
      a.sort((x, y) => {
        const kx = x.start ?? x.end ?? 0n, ky = y.start ?? y.end ?? 0n;
        return kx < ky ? -1 : kx > ky ? 1 : x.id - y.id;
      });
      for (let i = 0; i < a.length; i++) {
        const p = a[i]!;
        const prevEnd = i > 0 ? a[i - 1]!.end : null;
        p.lo = p.start ?? (prevEnd !== null ? prevEnd + 1n : null);
      }
    }
  }

  instances(pid: number): readonly Proc[] {
    return this.byPid.get(pid) ?? [];
  }

  /** The instance of `pid` alive at `t`, or null. With `t` null: the only instance of that pid, if there is one. */
  lookup(pid: number | null, t: bigint | null): Proc | null {
    if (pid === null) return null;
    const a = this.byPid.get(pid);
    if (!a || a.length === 0) return null;
    if (t === null) return a.length === 1 ? a[0]! : null;
    let lo = 0, hi = a.length - 1, i = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const l = a[mid]!.lo;
      if (l === null || l <= t) { i = mid; lo = mid + 1; } else hi = mid - 1;
    }
    if (i >= 0) {
      const p = a[i]!;
      if (p.end === null || p.end >= t) return p;
    }
    // Not strictly inside any lifetime: allow the tolerance (clocks of two sources, rounding of a process table).
    const prev = i >= 0 ? a[i]! : null;
    const next = i + 1 < a.length ? a[i + 1]! : null;
    const dPrev = prev && prev.end !== null ? t - prev.end : null;
    const dNext = next && next.lo !== null ? next.lo - t : null;
    const okPrev = dPrev !== null && dPrev <= this.toleranceNs;
    const okNext = dNext !== null && dNext <= this.toleranceNs;
    if (okPrev && okNext) return dNext! < dPrev! ? next : prev;
    if (okPrev) return prev;
    if (okNext) return next;
    return null;
  }
}

/**
 * Any text whose base name lower-cases to runner.worker… holds this: each of its characters lower-cases to one
 * ASCII letter of "runner.worker", and only the Kelvin sign (U+212A, to k) does so besides the ASCII letters
 * themselves. A test that rules out nearly every exe before the base name is cut and lower-cased.
 */
const MAY_BE_WORKER = /runner\.wor[k\u212A]er/i;

/** Whether an exe path or argv[0] names the GitHub runner's worker process. */
export function isRunnerWorker(exe: string | null, args: string | null): boolean {
  // the text after the last / or \ (what a split on /[\\/]/ leaves last, without an array per process)
  const base = (s: string) => s.slice(Math.max(s.lastIndexOf('/'), s.lastIndexOf('\\')) + 1).toLowerCase();
  const ok = (s: string) => {
    const b = base(s);
    return b === 'runner.worker' || b === 'runner.worker.exe' || b === 'runner.worker.dll';
  };
  if (exe && MAY_BE_WORKER.test(exe) && ok(exe)) return true;
  if (args && args.includes('Runner.Worker')) {
    try {
      const a = JSON.parse(args) as unknown;
      if (Array.isArray(a) && typeof a[0] === 'string' && ok(a[0])) return true;
    } catch {
      /* not JSON: ignore */
    }
  }
  return false;
}
