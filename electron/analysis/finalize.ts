/**
 * After the bulk load: indexes (migration 2), logs (step precedence, dedupe, FTS), then the analysis: process
 * identity, links from events to process instances, DNS domain fill, endpoints and verdicts, attribution (step and
 * running step), findings and the local
 * detections (analysis/detections/). Everything after the indexes runs in one transaction; running it again on the same
 * case recomputes the same result.
 */
import { migrate, type Db } from '../db/open';
import { finalizeLogs, type EarlyLogs } from '../import/gha/finalize-logs';
import type { ImportWarning } from '../../shared/model';
import { NANOS_PER_SECOND } from '../../shared/time';
import { loadCaseContext } from './case-context';
import { attachEvents } from './attach-events';
import { attributeProcesses } from './attribution';
import { DnsIndex } from './dns-fill';
import { writeProducerFindings, writeViewerFindings } from './findings';
import { writeDetections } from './detections/index';
import { analyseNetwork } from './network-pass';
import { buildAndLinkProcessModel, writeProcessModel } from './process-identity';
import { loadStepIndex } from './step-index';
import { withIndexesSuspended } from '../db/index-suspend';
import type { LogHints } from '../import/log-precompute';
import type { NetworkLive } from './network-live';
import { buildNetworkOrder } from './network-order';
import type { LogCandidates } from './detections/log-scan';
import type { SpanSink } from '../import/spans';

export interface FinalizeOptions {
  /**
   * Slack, in seconds, for step windows: a time that falls in no step's window (a gap between steps, clocks of the
   * telemetry and the log a little apart) goes to the nearest step within this distance. Default 0: strict windows.
   */
  contextSeconds?: number;
  warn: (w: ImportWarning) => void;
  onProgress?: (phase: string) => void;
  /** From the import's writer: what it learnt about the log lines while writing them (log-precompute.ts). */
  logHints?: LogHints;
  /** From the import's writer: the calls' derived columns written with them (network-live.ts), when they hold. */
  networkLive?: NetworkLive | null;
  /** From the import's writer: the log lines the detection rules read, found as they were written (log-scan.ts). */
  logCandidates?: LogCandidates | null;
  /** From the import: the log finalize's work it did while it waited for its calls worker (finalize-logs.ts). */
  earlyLogs?: EarlyLogs | null;
  /** Where the time goes (import/spans.ts): each log finalize step, the commit. */
  onSpan?: SpanSink;
}

/** The step-window slack of `contextSeconds`, in ns (0: strict windows). */
export function slackNsOf(contextSeconds: number | undefined): bigint {
  const slackSeconds = contextSeconds !== undefined && Number.isFinite(contextSeconds) && contextSeconds > 0 ? contextSeconds : 0;
  return BigInt(Math.round(slackSeconds * 1000)) * (NANOS_PER_SECOND / 1000n);
}

/** Remove what an earlier run of the analysis derived, so it can run again. */
function resetDerived(db: Db): void {
  const has = (sql: string) => db.prepare(sql).get() !== undefined;
  if (!has('SELECT 1 FROM processes LIMIT 1') && !has('SELECT 1 FROM findings LIMIT 1')) return;
  db.exec(`
    UPDATE network SET finding_id = NULL, process_id = NULL, step_id = NULL, running_step_id = NULL;
    UPDATE process_events SET process_id = NULL WHERE process_id IS NOT NULL;
    UPDATE dns SET process_id = NULL WHERE process_id IS NOT NULL;
    UPDATE file_events SET process_id = NULL WHERE process_id IS NOT NULL;
    UPDATE detections SET process_id = NULL WHERE process_id IS NOT NULL;
    DELETE FROM finding_evidence;
    DELETE FROM findings;
    DELETE FROM processes;
  `);
}

export function finalizeCase(db: Db, opts: FinalizeOptions): void {
  const progress = opts.onProgress ?? (() => {});
  progress('indexes');
  migrate(db);
  progress('logs');
  finalizeLogs(db, opts.warn, opts.logHints, opts.onSpan, opts.earlyLogs);

  const slackNs = slackNsOf(opts.contextSeconds);

  let bodyEnd = 0;
  db.transaction(() => {
    db.pragma('defer_foreign_keys = ON');
    resetDerived(db);
    const ctx = loadCaseContext(db, opts.warn);
    const steps = loadStepIndex(db, ctx.job, slackNs);

    // the calls written with their derived columns by the import (network-live.ts), if that still holds
    const live = opts.networkLive && opts.networkLive.holds(db, ctx, steps) ? opts.networkLive : null;

    progress('processes');
    const model = withIndexesSuspended(db, 'process_events', ['process_id'], () => {
      if (live) {
        for (const w of live.warnings) opts.warn(w);
        writeProcessModel(db, live.model); // built, attributed to the same steps, from the same events
        return live.model;
      }
      const m = buildAndLinkProcessModel(db, ctx); // built while its UPDATE links every event to its instance
      attributeProcesses(m.procs, steps);
      writeProcessModel(db, m, true);
      return m;
    });
    withIndexesSuspended(db, 'dns', ['process_id'], () => attachEvents(db, model.index, 'dns'));
    withIndexesSuspended(db, 'file_events', ['process_id'], () => attachEvents(db, model.index, 'file_events'));

    progress('network');
    const written = ['process_id', 'domain', 'domain_origin', 'endpoint', 'verdict', 'step_id', 'running_step_id'];
    const stats = live
      ? live.stats
      : withIndexesSuspended(db, 'network', written, () => analyseNetwork(db, ctx, model.index, steps, new DnsIndex(db)));

    progress('findings');
    writeViewerFindings(db, ctx, stats);
    writeProducerFindings(db, model.index, stats);
    progress('detections');
    writeDetections(db, ctx, undefined, opts.logCandidates ?? null, model.procs); // the instances just written: no re-read
    progress('order');
    buildNetworkOrder(db); // the calls' time order by rank, for deep pages (queries/network-order.ts)
    bodyEnd = performance.now();
  })();
  opts.onSpan?.('finalize: commit', performance.now() - bodyEnd, null);
  progress('done');
}
