/**
 * The network pass done while the calls are written (each call written once, with its process, domain, endpoint,
 * verdict and steps) instead of after the load, reading every call back and rewriting it. Possible when what the
 * pass depends on is all in the case before the first call arrives: the process events, DNS answers, steps,
 * run job and policy (a bundle: the container reads network.jsonl after the bundle's other files).
 *
 * At the first call the import's writer calls `NetworkLive.start`: the process model is built (and attributed to
 * steps) from the events so far, with the DNS and step indexes, exactly as finalizeCase would build them. Then
 * every call goes through the same NetworkAnalyser as the pass. finalizeCase uses the result only when nothing the
 * pass depends on changed since (`holds`): no process event, DNS answer or step added, the same step windows after
 * finalizeLogs, the same run job and policy, no call lost; otherwise it runs the pass as before, over every call.
 */
import type { Db } from '../db/open';
import type { ImportWarning } from '../../shared/model';
import { attributeProcesses } from './attribution';
import { loadCaseContext, type CaseContext } from './case-context';
import { DnsIndex } from './dns-fill';
import { NetworkAnalyser, type CallDerived } from './network-pass';
import { buildProcessModel, type ProcessModel } from './process-identity';
import { PidIndex, type Proc } from './process-model';
import { loadStepIndex, type StepIndex } from './step-index';

interface Snapshot {
  events: number;
  dns: number;
  answers: number;
  steps: string;
  job: string | null;
  policy: string;
}

function counters(db: Db): { events: number; dns: number; answers: number } {
  // max(rowid): two b-tree descents each, no scan (the import only appends to these tables)
  return db
    .prepare(
      `SELECT coalesce((SELECT max(id) FROM process_events), 0) AS events, coalesce((SELECT max(id) FROM dns), 0) AS dns,
              coalesce((SELECT max(rowid) FROM dns_answers), 0) AS answers`,
    )
    .get() as { events: number; dns: number; answers: number };
}

/**
 * What the calls' derived columns depend on besides the steps, run job and policy (in the snapshot): the process
 * events, DNS records and answers. Per table and source file: the file (path, SHA-256 of its bytes, format, clock
 * offset) and its rows' count and sums of ids, times and pids. The same files read by the same importers give the
 * same records, and the sums pin their ids; so two cases with the same basis derive the same columns for the same
 * calls (calls-side.ts compares the case's with the calls worker's private database's before taking its calls).
 * One aggregate scan per table, no row read into JS.
 */
function contentOf(db: Db): string {
  const perSource = (table: string, sums: string) =>
    `(SELECT json_group_array(f) FROM
        (SELECT json_array(s.path, s.member, s.sha256, s.bytes, s.format, s.offset_ns, t.n, t.sums) AS f
           FROM (SELECT source_id, count(*) AS n, json_array(${sums}) AS sums FROM ${table} GROUP BY source_id) t
           LEFT JOIN sources s ON s.id = t.source_id ORDER BY t.source_id))`;
  const r = db
    .prepare(
      `SELECT ${perSource('process_events', 'total(id), total(ts), total(pid), total(ppid)')} AS events,
              ${perSource('dns', 'total(id), total(ts), total(pid)')} AS dns,
              (SELECT json_array(count(*), total(dns_id), total(ts)) FROM dns_answers) AS answers`,
    )
    .get() as { events: string; dns: string; answers: string };
  return `${r.events}|${r.dns}|${r.answers}`;
}

function basisOf(db: Db, ctx: CaseContext, steps: StepIndex, slackNs: bigint): { snap: Snapshot; basis: string } {
  const snap: Snapshot = { ...counters(db), steps: steps.signature(), job: ctx.job, policy: JSON.stringify(ctx.policy) };
  return { snap, basis: `${JSON.stringify(snap)}|${contentOf(db)}|${slackNs}` };
}

/** A NetworkLive as it crosses threads (structured clone keeps the model's references between its processes). */
export interface AdoptableLive {
  basis: string;
  stats: NetworkAnalyser['stats'];
  ok: boolean;
  warnings: ImportWarning[];
  procs: Proc[];
  eventIds: number[];
  eventProcs: Proc[];
}

export class NetworkLive {
  /** False once a call was derived but not stored: the statistics no longer match the table. */
  private ok = true;
  /** The statistics of calls derived elsewhere (the calls worker, calls-side.ts) on the same basis. */
  private taken: NetworkAnalyser['stats'] | null = null;
  private constructor(
    readonly model: ProcessModel,
    /** Warnings of the process model, given again by finalizeCase where it would have built the model. */
    readonly warnings: readonly ImportWarning[],
    private readonly analyser: NetworkAnalyser | null,
    private readonly snap: Snapshot,
    /** What the derived columns depend on (`contentOf` and the snapshot): equal bases, equal derived columns. */
    readonly basis: string,
  ) {}

  /** Build the process model and indexes from what the case holds now (the writer's open transaction). */
  static start(db: Db, slackNs: bigint): NetworkLive {
    const warnings: ImportWarning[] = [];
    const base = loadCaseContext(db, () => {}); // its own warnings come from finalizeCase's loadCaseContext
    const ctx: CaseContext = { ...base, warn: (w) => warnings.push(w) };
    const steps = loadStepIndex(db, ctx.job, slackNs, true);
    const model = buildProcessModel(db, ctx);
    attributeProcesses(model.procs, steps);
    const analyser = new NetworkAnalyser(ctx, model.index, steps, new DnsIndex(db));
    const { snap, basis } = basisOf(db, ctx, steps, slackNs);
    return new NetworkLive(model, warnings, analyser, snap, basis);
  }

  /** What a transfer to another thread needs (`adopt`): the basis, the statistics, the model without its index. */
  transferable(): AdoptableLive {
    const { procs, eventIds, eventProcs } = this.model;
    return { basis: this.basis, stats: this.stats, ok: this.ok, warnings: [...this.warnings], procs, eventIds, eventProcs };
  }

  /**
   * The calls were derived and stored by another thread's analysis (the calls worker, calls-side.ts): its model
   * and statistics stand for them if the case has the same basis now (else null: start one here). `sourceIds` maps
   * the other database's source ids to the case's (the model names its events' sources); null if one is missing.
   */
  static adopt(db: Db, slackNs: bigint, other: AdoptableLive, sourceIds: ReadonlyMap<number, number>): NetworkLive | null {
    const ctx = loadCaseContext(db, () => {});
    const steps = loadStepIndex(db, ctx.job, slackNs, true);
    const { snap, basis } = basisOf(db, ctx, steps, slackNs);
    if (basis !== other.basis) return null;
    const to = (id: number | null): number | null | undefined => (id === null ? null : sourceIds.get(id));
    for (const p of other.procs) if (to(p.sourceId) === undefined) return null;
    for (const p of other.procs) {
      p.sourceId = to(p.sourceId)!;
      const remap = (f: string): string => {
        const [src, origin] = f.split('|', 2) as [string, string];
        return src === '-' ? f : `${to(Number(src)) ?? src}|${origin}`;
      };
      p.firstFrom = remap(p.firstFrom);
      if (p.moreFrom) p.moreFrom = new Set([...p.moreFrom].map(remap));
    }
    const model: ProcessModel = { procs: other.procs, index: new PidIndex(other.procs), eventIds: other.eventIds, eventProcs: other.eventProcs };
    const live = new NetworkLive(model, other.warnings, null, snap, basis);
    live.take(other.stats, other.ok);
    return live;
  }

  /** Every call derived so far was stored. */
  get intact(): boolean {
    return this.ok;
  }

  /**
   * The calls were derived and stored by another analyser on the same basis (the calls worker's, calls-side.ts):
   * its statistics stand for them, and `ok` says whether all it derived was stored.
   */
  take(stats: NetworkAnalyser['stats'], ok: boolean): void {
    this.taken = stats;
    if (!ok) this.ok = false;
  }

  derive(...args: Parameters<NetworkAnalyser['derive']>): CallDerived {
    if (!this.analyser) throw new Error('calls derived elsewhere: no analyser here');
    return this.analyser.derive(...args);
  }

  /** A call derived but then not stored. */
  lost(): void {
    this.ok = false;
  }

  get stats(): NetworkAnalyser['stats'] {
    return this.taken ?? this.analyser!.stats;
  }

  /** Whether the calls as written equal what the pass would write now (finalizeCase's context and steps). */
  holds(db: Db, ctx: CaseContext, steps: StepIndex): boolean {
    if (!this.ok) return false;
    const c = counters(db);
    const s = this.snap;
    return (
      c.events === s.events &&
      c.dns === s.dns &&
      c.answers === s.answers &&
      steps.signature() === s.steps &&
      ctx.job === s.job &&
      JSON.stringify(ctx.policy) === s.policy
    );
  }
}
