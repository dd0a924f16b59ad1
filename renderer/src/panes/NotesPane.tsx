/**
 * The Notes pane: the analyst's notes and bookmarks on a call, a process, a log line, a step, a finding or a time
 * range, each with a verdict tag (malicious, suspicious, benign, needs review) and free text. They are kept in the
 * case's sidecar file (the case is never written) and every change is in the action log, listed below the notes.
 * A note's label selects its target in every pane when it is a call, process or log line.
 */
import { useEffect, useState } from 'react';
import type { ActionOut, NoteOut, NoteTarget, NoteVerdict } from '../../../shared/api';
import { noteVerdicts } from '../../../shared/api-client';
import { api } from '../api';
import { clock } from '../format';
import { select, useApp } from '../state/selection';
import { AnalystActions } from './AnalystActions';
import { analystStore, useAnalyst } from './analyst-state';
import './findings.css';
import { PaneMessage } from './NotReady';

const VERDICT_TEXT: Record<NoteVerdict, string> = {
  malicious: 'malicious',
  suspicious: 'suspicious',
  benign: 'benign',
  'needs-review': 'needs review',
};

type TargetChoice = 'selection' | 'step' | 'finding' | 'range';

function VerdictSelect({ value, onChange, id }: { value: NoteVerdict | null; onChange: (v: NoteVerdict | null) => void; id: string }) {
  return (
    <select id={id} aria-label="Verdict" value={value ?? ''} onChange={(e) => onChange((e.target.value || null) as NoteVerdict | null)}>
      <option value="">no verdict</option>
      {noteVerdicts.map((v) => (
        <option key={v} value={v}>
          {VERDICT_TEXT[v]}
        </option>
      ))}
    </select>
  );
}

function NoteItem({ n, onChanged }: { n: NoteOut; onChanged: () => void }) {
  const [editing, setEditing] = useState(false);
  const [text, setText] = useState(n.text);
  const [verdict, setVerdict] = useState<NoteVerdict | null>(n.verdict);
  const t = n.target;
  const selectable = (t.kind === 'call' || t.kind === 'process' || t.kind === 'log') && t.id !== undefined;
  const save = async () => {
    await api['notes.update']({ id: n.id, text, verdict });
    setEditing(false);
    onChanged();
  };
  return (
    <li className="note" data-note-id={n.id}>
      <div className="note-head">
        {n.verdict && <span className={`verdict verdict-${n.verdict}`}>{VERDICT_TEXT[n.verdict]}</span>}
        {selectable ? (
          <button type="button" className="link note-label" onClick={() => select({ kind: t.kind as 'call', id: t.id! })}>
            {n.label ?? `${t.kind} ${t.id}`}
          </button>
        ) : (
          <span className="note-label">{n.label ?? t.kind}</span>
        )}
        <span className="dim mono note-time" title={n.updated_at}>
          {clock(n.updated_at, 0)}
        </span>
      </div>
      {editing ? (
        <div className="note-edit">
          <VerdictSelect id={`nv-${n.id}`} value={verdict} onChange={setVerdict} />
          <textarea aria-label="Note text" value={text} onChange={(e) => setText(e.target.value)} rows={3} />
          <div className="note-actions">
            <button type="button" onClick={() => void save()}>
              Save
            </button>
            <button type="button" onClick={() => setEditing(false)}>
              Cancel
            </button>
          </div>
        </div>
      ) : (
        <>
          {n.text && <p className="note-text">{n.text}</p>}
          <div className="note-actions">
            <button type="button" className="link small" onClick={() => setEditing(true)}>
              edit
            </button>
            <button
              type="button"
              className="link small"
              onClick={() => void api['notes.delete']({ id: n.id }).then(onChanged)}
            >
              delete
            </button>
          </div>
        </>
      )}
    </li>
  );
}

export function NotesPane() {
  const version = useApp((s) => s.caseVersion);
  const selection = useApp((s) => s.selection);
  const focus = useApp((s) => s.focus);
  const steps = useApp((s) => s.steps);
  const finding = useAnalyst((s) => s.finding);
  const notesVersion = useAnalyst((s) => s.notesVersion);
  const [notes, setNotes] = useState<NoteOut[] | null>(null);
  const [actions, setActions] = useState<ActionOut[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [choice, setChoice] = useState<TargetChoice>('selection');
  const [verdict, setVerdict] = useState<NoteVerdict | null>(null);
  const [text, setText] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');

  useEffect(() => {
    let live = true;
    Promise.all([api['notes.list']({}), api['actions.list']({ limit: 50 })]).then(
      ([n, a]) => {
        if (!live) return;
        setNotes(n.notes);
        setActions(a.actions);
        setError(null);
      },
      (e: Error) => live && setError(e.message),
    );
    return () => {
      live = false;
    };
  }, [version, notesVersion]);

  const changed = () => analystStore.set((s) => ({ notesVersion: s.notesVersion + 1 }));
  const step = steps.find((s) => s.id === focus.runningStepId) ?? null;
  const target = ((): NoteTarget | null => {
    if (choice === 'selection') return selection ? { kind: selection.kind, id: selection.id } : null;
    if (choice === 'step') return step ? { kind: 'step', id: step.id } : null;
    if (choice === 'finding') return finding ? { kind: 'finding', id: finding.id } : null;
    return from && to ? { kind: 'range', start: from, end: to } : null;
  })();
  const add = async () => {
    if (!target) return;
    try {
      await api['notes.add']({ target, verdict, text });
      setText('');
      setVerdict(null);
      setError(null);
      changed();
    } catch (e) {
      setError((e as Error).message);
    }
  };

  return (
    <section aria-label="Notes" className="pane notes-pane">
      <div className="pane-bar">
        <h2>Notes</h2>
        {notes && <span className="count">{notes.length}</span>}
        <AnalystActions />
      </div>
      <div className="scroller notes-body">
        <form
          className="note-form"
          aria-label="New note"
          onSubmit={(e) => {
            e.preventDefault();
            void add();
          }}
        >
          <label>
            On{' '}
            <select aria-label="Note target" value={choice} onChange={(e) => setChoice(e.target.value as TargetChoice)}>
              <option value="selection">{selection ? `selected ${selection.kind} ${selection.id}` : 'the selection (none)'}</option>
              <option value="step">{step ? `step ${step.number} ${step.name}` : 'the running step (none)'}</option>
              <option value="finding">{finding ? `finding: ${finding.title}` : 'the chosen finding (none)'}</option>
              <option value="range">a time range</option>
            </select>
          </label>
          {choice === 'range' && (
            <span className="note-range">
              <input aria-label="From (RFC 3339)" placeholder={focus.ts ?? 'from'} value={from} onChange={(e) => setFrom(e.target.value)} />
              <input aria-label="To (RFC 3339)" placeholder={focus.ts ?? 'to'} value={to} onChange={(e) => setTo(e.target.value)} />
            </span>
          )}
          <VerdictSelect id="note-verdict" value={verdict} onChange={setVerdict} />
          <textarea aria-label="Note" placeholder="What you concluded, and why" value={text} onChange={(e) => setText(e.target.value)} rows={2} />
          <button type="submit" disabled={!target}>
            Add note
          </button>
        </form>
        {error && <PaneMessage text={error} />}
        {notes && notes.length === 0 && <p className="empty">No notes yet.</p>}
        <ul className="notes-list" aria-label="Notes list">
          {notes?.map((n) => <NoteItem key={`${n.id}:${n.updated_at}`} n={n} onChanged={changed} />)}
        </ul>
        <details className="action-log">
          <summary>Action log ({actions.length})</summary>
          <ol aria-label="Action log">
            {actions.map((a) => (
              <li key={a.id} className="mono">
                {a.at.replace('T', ' ').replace(/\.\d+Z$/, 'Z')} {a.action}{' '}
                <span className="dim">{JSON.stringify(a.detail)}</span>
              </li>
            ))}
          </ol>
        </details>
      </div>
    </section>
  );
}
