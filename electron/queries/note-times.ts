/**
 * `notes.marks`: every note of the case's sidecar with the moment of what it is about, so the timeline can draw it.
 * A note stores only its target (kind + id, or a time range); the moment is resolved here, one primary-key probe
 * per note: a call's time, a process's start, a log line's time, a step's start, a finding's first call, a range's
 * start. Null when the target has no time (an untimed log line, a process without a start).
 */
import type { Db } from '../db/open';
import type { NoteMark, NoteOut, Result, SelectionRef } from '../../shared/api';
import { listNotes } from '../notes/notes';
import { time, type Row } from './values';

const TIME_OF: Record<string, string> = {
  call: 'SELECT ts AS t FROM network WHERE id = ?',
  process: 'SELECT start AS t FROM processes WHERE id = ?',
  log: 'SELECT ts AS t FROM log_lines WHERE id = ?',
  step: 'SELECT started_at AS t FROM steps WHERE id = ?',
  finding: 'SELECT coalesce(first_seen, (SELECT min(n.ts) FROM network n WHERE n.finding_id = findings.id)) AS t FROM findings WHERE id = ?',
};

export function noteTime(db: Db, target: NoteOut['target']): string | null {
  if (target.kind === 'range') return target.start ?? null;
  const sql = TIME_OF[target.kind];
  if (!sql || target.id === undefined) return null;
  const r = db.prepare(sql).safeIntegers(true).get(target.id) as Row | undefined;
  return r ? time(r.t) : null;
}

/** What selecting the note's marker selects: the row itself, or a finding's first call. */
function noteSelect(db: Db, target: NoteOut['target']): SelectionRef | null {
  if (target.id === undefined) return null;
  if (target.kind === 'call' || target.kind === 'process' || target.kind === 'log') return { kind: target.kind, id: target.id };
  if (target.kind === 'finding') {
    const r = db.prepare('SELECT id FROM network WHERE finding_id = ? ORDER BY ts, id LIMIT 1').safeIntegers(true).get(target.id) as Row | undefined;
    return r ? { kind: 'call', id: Number(r.id) } : null;
  }
  return null;
}

export function noteMarks(db: Db): Result<'notes.marks'> {
  const marks: NoteMark[] = listNotes(db.name).map((n) => ({
    id: n.id,
    target: n.target,
    verdict: n.verdict,
    label: n.label,
    text: n.text,
    ts: noteTime(db, n.target),
    select: noteSelect(db, n.target),
  }));
  return { marks };
}
