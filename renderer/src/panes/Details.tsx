/**
 * The Details pane: everything known about the selection. A call: its process chain (with "view parent" links),
 * the step that started it and the step running then, the action, HTTP, policy verdict, log context and mentions.
 * A process: command line, cwd, uid, times, exit code, children, calls, files. A log line: its text and step.
 * Always the raw source record with its file and line. Every text from the bundle is rendered as text.
 */
import { useEffect, useState, type ReactNode } from 'react';
import type { CallExplanation, LogRef, LogRow, ProcessDetails, ProcessRef, Result, StepRef } from '../../../shared/api';
import { api } from '../api';
import { baseName, clock, commandLine, fullTime } from '../format';
import { PaneControls } from '../layout/PaneControls';
import { copyText } from './ContextMenu';
import { isDerived, policyText, recordedText, verdictBadge } from './evidence-words';
import { select, useApp, type Selection } from '../state/selection';
import { Ev, evTitle, Host } from '../evidence/Evidence';
import { PaneMessage } from './NotReady';
import { LineMentions, MentionedInLog } from './mentions/MentionedInLog';

type RawTable = 'network' | 'processes' | 'log_lines';

function useLoad<T>(key: string, load: () => Promise<T>): { value: T | null; error: string | null } {
  const [state, setState] = useState<{ key: string; value: T | null; error: string | null }>({
    key: '',
    value: null,
    error: null,
  });
  useEffect(() => {
    let live = true;
    load().then(
      (value) => live && setState({ key, value, error: null }),
      (e: Error) => live && setState({ key, value: null, error: e.message }),
    );
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);
  return state.key === key ? state : { value: null, error: null };
}

/** "(12)", or "(first 200 of 2 500)" when the panel shows only the start of a long list. */
function countText(shown: number, total: number): string {
  return shown < total ? `(first ${shown} of ${total.toLocaleString('en-US')})` : `(${total})`;
}

/** A titled list of a process's children, calls or files, saying when it shows only the first few. */
function ListSection({ title, shown, total, children }: { title: string; shown: number; total: number; children: ReactNode }) {
  return (
    <section className="d-section" aria-label={title}>
      <h3>
        {title} <span className="dim">{countText(shown, total)}</span>
      </h3>
      <ul className="plain">{children}</ul>
    </section>
  );
}

/** A small copy button (the text is computed when clicked). */
export function CopyButton({ label, text }: { label: string; text: () => string }) {
  const [done, setDone] = useState(false);
  return (
    <button
      type="button"
      className="copy small"
      aria-label={label}
      title={label}
      onClick={() => {
        void copyText(text()).then(() => {
          setDone(true);
          setTimeout(() => setDone(false), 1200);
        });
      }}
    >
      {done ? 'copied' : 'copy'}
    </button>
  );
}

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <>
      <dt>{label}</dt>
      <dd>{typeof children === 'string' ? <Ev text={children} /> : (children ?? <span className="dim">—</span>)}</dd>
    </>
  );
}

const stepText = (s: StepRef | null) => (s ? `${s.number} · ${s.name}` : null);

function ProcLink({ p, label }: { p: ProcessRef; label?: string }) {
  return (
    <button
      type="button"
      className="link"
      onClick={() => select({ kind: 'process', id: p.id })}
      title={evTitle(commandLine(p.args, p.exe))}
    >
      <Ev text={label ?? `${baseName(p.exe) || p.args[0] || '?'} (${p.pid})`} />
    </button>
  );
}

function RawRecord({ table, id, version }: { table: RawTable; id: number; version: number }) {
  const r = useLoad<Result<'raw.get'>>(`${version}:${table}:${id}`, () => api['raw.get']({ table, id }));
  return (
    <section className="d-section" aria-label="Raw record">
      <h3>Raw record</h3>
      {r.error && <p className="error-line">{r.error}</p>}
      {r.value && (
        <>
          <p className="mono source-ref">
            {r.value.file ? <Ev text={r.value.file} /> : '(no file)'}
            {r.value.line !== null ? `:${r.value.line}` : ''}
          </p>
          <pre className="raw">{r.value.raw ? <Ev text={r.value.raw} /> : '(no raw text)'}</pre>
        </>
      )}
    </section>
  );
}

/** The chain root first, one line: each ancestor a link. */
function ChainLine({ chain }: { chain: ProcessRef[] }) {
  const rootFirst = [...chain].reverse();
  return (
    <ol className="chain-line" aria-label="Process chain, root first">
      {rootFirst.map((p, i) => (
        <li key={p.id}>
          {i > 0 && (
            <span className="sep" aria-hidden="true">
              ›{' '}
            </span>
          )}
          <ProcLink p={p} />
        </li>
      ))}
    </ol>
  );
}

/** The log lines around the call, with the call's moment marked between the line before and the line after it. */
function ContextWithMoment({ refs, ts }: { refs: LogRef[]; ts: string }) {
  const at = refs.findIndex((l) => l.ts !== null && l.ts > ts);
  const cut = at < 0 ? refs.length : at;
  const moment = (
    <li key="moment" className="moment" aria-label={`The call, at ${clock(ts)}`}>
      <span className="mono">{clock(ts)}</span> ◆ the call (between the lines above and below)
    </li>
  );
  return (
    <ol className="log-refs context">
      {refs.slice(0, cut).map((l) => (
        <LogRefItem key={l.id} l={l} />
      ))}
      {moment}
      {refs.slice(cut).map((l) => (
        <LogRefItem key={l.id} l={l} />
      ))}
    </ol>
  );
}

function LogRefItem({ l }: { l: LogRef }) {
  return (
    <li>
      <button type="button" className="link mono" onClick={() => select({ kind: 'log', id: l.id })}>
        {clock(l.ts)}
      </button>{' '}
      {l.step !== null && <span className="dim">[{l.step}] </span>}
      <Ev className="mono" text={l.text} />
    </li>
  );
}

function CallView({ id, version }: { id: number; version: number }) {
  const r = useLoad<CallExplanation>(`${version}:call:${id}`, () =>
    api['network.explain']({ id, window_seconds: 5, limit: 50 }),
  );
  if (r.error) return <PaneMessage text={r.error} />;
  const e = r.value;
  if (!e) return <p className="dim">loading…</p>;
  const chain = e.process ? [e.process, ...e.ancestors] : e.ancestors;
  const http = e.http;
  const action = e.step?.uses ?? null;
  const ref = action?.includes('@') ? action.slice(action.lastIndexOf('@') + 1) : null;
  const derived = isDerived(e.domain_origin);
  const badge = verdictBadge(e.verdict);
  return (
    <>
      <h2 className="d-title">
        {http?.method ? `${http.method} ` : ''}
        {e.domain !== null ? <Host name={e.domain} /> : e.ip}
        <Ev text={http?.path ?? ''} />{' '}
        <span className={`badge ${badge.cls}`}>{badge.text}</span>
        {derived && (
          <span className="badge derived" title="The record has only the IP; this name comes from a DNS answer for it">
            domain derived from DNS
          </span>
        )}
      </h2>
      <section className="d-answer" aria-label="Answer">
        <dl className="fields">
          <Field label="Step">
            {stepText(e.step)}
            {e.step && e.running_step && e.step.id !== e.running_step.id && (
              <span className="badge warn" title="The process was started by an earlier step and was still running">
                background: started in step {e.step.number}
              </span>
            )}
          </Field>
          <Field label="Action">
            {action ?? (e.step ? <span className="dim">run script (no action)</span> : null)}
            {ref && <span className="dim"> · pinned to {/^[0-9a-f]{40}$/.test(ref) ? 'commit' : 'ref'} {ref}</span>}
          </Field>
          <Field label="Command">
            {e.process ? (
              <>
                <code><Ev text={commandLine(e.process.args, e.process.exe)} /></code>{' '}
                <CopyButton label="Copy command line" text={() => commandLine(e.process!.args, e.process!.exe)} />
              </>
            ) : (
              <Ev text={e.process_name} />
            )}
          </Field>
          <Field label="Chain">
            <section aria-label="Process chain">
              {chain.length ? <ChainLine chain={chain} /> : <span className="dim">no process events for this call</span>}
              {chain.length > 1 && (
                <button type="button" className="link small" onClick={() => select({ kind: 'process', id: chain[1]!.id })}>
                  view parent
                </button>
              )}
              {chain.length > 0 && <CopyButton label="Copy chain" text={() => [...chain].reverse().map((p) => `${p.pid} ${commandLine(p.args, p.exe)}`).join('\n')} />}
            </section>
          </Field>
        </dl>
        <section className="d-section mentions" aria-label="Log mentions">
          <h3>
            Log lines that mention {e.domain !== null ? <Host name={e.domain} /> : e.ip} <span className="dim">({e.log_mentions.length})</span>
          </h3>
          {(e.domain ?? e.ip) && <MentionedInLog host={(e.domain ?? e.ip)!} />}
          {e.log_mentions.length === 0 ? (
            <p className="dim">No log line names this domain or IP.</p>
          ) : (
            <ol className="log-refs">
              {e.log_mentions.map((l) => (
                <LogRefItem key={l.id} l={l} />
              ))}
            </ol>
          )}
        </section>
      </section>
      <details className="d-fold" open>
        <summary>The call</summary>
        <dl className="fields">
          <Field label="Policy">
            {policyText(e.verdict, e.status)}
            {e.policy?.allowed_by && <span className="dim"> (allowed by {e.policy.allowed_by})</span>}
          </Field>
          <Field label="Running step">{stepText(e.running_step)}</Field>
          <Field label="Time">{fullTime(e.ts)}</Field>
          <Field label="Domain">
            {e.domain}
            {derived && <span className="dim"> (derived: from a DNS answer for {e.ip}, not in the record)</span>}
          </Field>
          <Field label="IP:port">{e.ip ? `${e.ip}:${e.port}` : `:${e.port}`}</Field>
          <Field label="Endpoint">{e.endpoint}</Field>
          <Field label="Protocol">{e.protocol}</Field>
          <Field label="Recorded">{recordedText(e.status)}</Field>
          <Field label="HTTP">
            {http
              ? `${http.method ?? ''} ${http.host ?? ''}${http.path ?? ''}${http.status_code !== null ? ` → ${http.status_code}` : ''}`
              : null}
          </Field>
          <Field label="Process">{e.process ? <ProcLink p={e.process} /> : e.pid !== null ? `pid ${e.pid}` : null}</Field>
          <Field label="Verdict">
            {e.verdict}
            {e.policy?.matched && <span className="dim"> matched {e.policy.matched}</span>}
            {e.policy?.reason && <span className="dim"> — {e.policy.reason}</span>}
          </Field>
          <Field label="Finding">
            {e.finding
              ? `${e.finding.kind} (${e.finding.severity})${e.finding.kinds.length > 1 ? ` · ${e.finding.kinds.join(', ')}` : ''}`
              : null}
          </Field>
          {e.tool && (
            <Field label="Tool">
              {`${e.tool.name ?? ''} ${e.tool.sha256 ?? ''}`}{' '}
              {e.tool.sha256 && <CopyButton label="Copy hash" text={() => e.tool!.sha256!} />}
            </Field>
          )}
        </dl>
      </details>
      <details className="d-fold">
        <summary>
          Log around the call <span className="dim">(±5 s, {e.log_context.length} lines)</span>
        </summary>
        <ContextWithMoment refs={e.log_context} ts={e.ts} />
      </details>
      <details className="d-fold">
        <summary>Process chain with command lines</summary>
        <section className="d-section" aria-label="Process chain with command lines">
          {chain.length === 0 ? (
            <p className="dim">no process events for this call</p>
          ) : (
            <ol className="chain">
              {chain.map((p) => (
                <li key={p.id}>
                  <ProcLink p={p} />
                  <code className="cmd"><Ev text={commandLine(p.args, p.exe)} /></code>
                </li>
              ))}
            </ol>
          )}
        </section>
      </details>
      <details className="d-fold">
        <summary>Raw record</summary>
        <RawRecord table="network" id={e.id} version={version} />
      </details>
    </>
  );
}

function ProcessView({ id, version }: { id: number; version: number }) {
  const r = useLoad<ProcessDetails>(`${version}:proc:${id}`, () => api['process.get']({ id }));
  if (r.error) return <PaneMessage text={r.error} />;
  const p = r.value;
  if (!p) return <p className="dim">loading…</p>;
  const parent = p.ancestors[0];
  return (
    <>
      <h2 className="d-title">
        <Ev text={baseName(p.exe) || p.args[0] || 'process'} /> <span className="dim">pid {p.pid}</span>
      </h2>
      <dl className="fields">
        <Field label="Command">
          <code><Ev text={commandLine(p.args, p.exe)} /></code>
        </Field>
        <Field label="Executable">{p.exe}</Field>
        <Field label="Working dir">{p.cwd}</Field>
        <Field label="uid">{p.uid}</Field>
        <Field label="Start">{fullTime(p.start)}</Field>
        <Field label="End">
          {p.end ? fullTime(p.end) : <span className="dim">still running at the end of the capture</span>}
        </Field>
        <Field label="Exit code">{p.exit_code}</Field>
        <Field label="Step">{stepText(p.step)}</Field>
        <Field label="Parent">
          {parent ? (
            <ProcLink
              p={parent}
              label={`view parent: ${baseName(parent.exe) || parent.args[0] || '?'} (${parent.pid})`}
            />
          ) : (
            (p.root_reason ?? 'none (root)')
          )}
        </Field>
      </dl>
      {p.findings.length > 0 && (
        <ListSection title="Detections" shown={p.findings.length} total={p.findings.length}>
          {p.findings.map((f) => (
            <li key={f.id} className="proc-finding">
              <span className={`sev sev-${f.severity}`}>{f.severity}</span> {f.title ?? f.kind}{' '}
              <span className="dim">
                ({f.kind}; {f.by})
              </span>
            </li>
          ))}
        </ListSection>
      )}
      <ListSection title="Children" shown={p.children.length} total={p.totals.children}>
        {p.children.map((c) => (
          <li key={c.id}>
            <ProcLink p={c} /> <code className="cmd"><Ev text={commandLine(c.args, c.exe)} /></code>
          </li>
        ))}
      </ListSection>
      <ListSection title="Calls" shown={p.calls.length} total={p.totals.calls}>
        {p.calls.map((c) => (
          <li key={c.id}>
            <button type="button" className="link mono" onClick={() => select({ kind: 'call', id: c.id })}>
              {clock(c.ts)}
            </button>{' '}
            {c.http_method ?? ''} {c.endpoint}
            {c.http_path ?? ''} {c.finding_kind && <span className="badge bad">{c.finding_kind}</span>}
          </li>
        ))}
      </ListSection>
      <ListSection title="Files" shown={p.files.length} total={p.totals.files}>
        {p.files.map((f) => (
          <li key={f.id} className="mono">
            {clock(f.ts)} {f.op} <Ev text={f.path} />
          </li>
        ))}
      </ListSection>
      <RawRecord table="processes" id={p.id} version={version} />
    </>
  );
}

function LogView({ id, version }: { id: number; version: number }) {
  const r = useLoad<LogRow | null>(`${version}:log:${id}`, async () => {
    const { index } = await api['log.indexOfId']({ id });
    if (index < 0) throw new Error(`no log line with id ${id}`);
    return (await api['log.window']({ offset: index, limit: 1 })).rows[0] ?? null;
  });
  const steps = useApp((s) => s.steps);
  if (r.error) return <PaneMessage text={r.error} />;
  const l = r.value;
  if (!l) return <p className="dim">loading…</p>;
  const step = steps.find((s) => s.id === l.step_id);
  return (
    <>
      <h2 className="d-title">Log line {l.index + 1}</h2>
      <dl className="fields">
        <Field label="Time">{fullTime(l.ts)}</Field>
        <Field label="Job">{l.job}</Field>
        <Field label="Step">{step ? `${step.number} · ${step.name}` : l.step_number}</Field>
        <Field label="Marker">{l.marker}</Field>
      </dl>
      <RawRecord table="log_lines" id={l.id} version={version} />
      <LineMentions id={l.id} />
    </>
  );
}

export function Details() {
  const selection: Selection | null = useApp((s) => s.selection);
  const version = useApp((s) => s.caseVersion);
  return (
    <section aria-label="Details" className="pane details-pane">
      <div className="pane-bar">
        <h2>Details</h2>
        {selection && (
          <span className="dim">
            {selection.kind} {selection.id}
          </span>
        )}
        <span className="spacer-flex" />
        <PaneControls id="details" title="Details" />
      </div>
      <div className="details-body">
        {!selection && (
          <div className="empty">
            <p>Select a call, a log line or a process.</p>
            <p className="dim">
              <kbd>j</kbd>/<kbd>k</kbd> next/previous call · <kbd>/</kbd> filter · <kbd>f</kbd> findings only ·{' '}
              <kbd>Esc</kbd> clear · <kbd>?</kbd> every shortcut
            </p>
          </div>
        )}
        {selection?.kind === 'call' && <CallView id={selection.id} version={version} />}
        {selection?.kind === 'process' && <ProcessView id={selection.id} version={version} />}
        {selection?.kind === 'log' && <LogView id={selection.id} version={version} />}
      </div>
    </section>
  );
}
