/**
 * Notes, bookmarks and the action log of one case, in its sidecar (sidecar.ts). A note is about a call, a
 * process, a log line, a step, a finding or a time range, with a verdict tag and free text; its target must exist
 * in the case, and a label of what it was (masked) is kept with it. Every change to a note is also an entry of
 * the action log, as are the actions the app records for the analyst (revealing secrets, exporting a report …).
 */
import type { ActionOut, NoteOut, NoteTarget, NoteVerdict, ParsedParams } from '../../shared/api';
import { maskSecrets } from '../../shared/secrets';
import { formatNanos, parseRfc3339 } from '../../shared/time';
import type { Db } from '../db/open';
import { QueryError } from '../queries/values';
import { openSidecar, readSidecar } from './sidecar';

type R = Record<string, unknown>;
const now = (): string => new Date().toISOString();

function clip(s: string, n = 160): string {
  const one = s.replace(/\s+/g, ' ').trim();
  return one.length > n ? one.slice(0, n - 1) + '…' : one;
}

/** A label for the target, read from the case; a missing target is an error. */
export function targetLabel(caseDb: Db, t: NoteTarget): string {
  const get = (sql: string) => caseDb.prepare(sql).get(t.id) as R | undefined;
  const missing = () => new QueryError(`no ${t.kind === 'log' ? 'log line' : t.kind} with id ${t.id} in this case`);
  switch (t.kind) {
    case 'call': {
      const r = get('SELECT http_method, endpoint, domain, ip, port, http_path FROM network WHERE id = ?');
      if (!r) throw missing();
      return clip(`${r.http_method ? `${String(r.http_method)} ` : ''}${String(r.endpoint ?? r.domain ?? `${String(r.ip)}:${String(r.port)}`)}${String(r.http_path ?? '')}`);
    }
    case 'process': {
      const r = get('SELECT pid, exe, args FROM processes WHERE id = ?');
      if (!r) throw missing();
      let args: string[] = [];
      try {
        args = JSON.parse(String(r.args ?? '[]')) as string[];
      } catch {
        /* no args */
      }
      return clip(`pid ${String(r.pid)}: ${args.join(' ') || String(r.exe ?? '?')}`);
    }
    case 'log': {
      const r = get('SELECT text FROM log_lines WHERE id = ?');
      if (!r) throw missing();
      return clip(`log: ${String(r.text)}`);
    }
    case 'step': {
      const r = get('SELECT number, name FROM steps WHERE id = ?');
      if (!r) throw missing();
      return clip(`step ${String(r.number)} ${String(r.name)}`);
    }
    case 'finding': {
      const r = get('SELECT kind, title FROM findings WHERE id = ?');
      if (!r) throw missing();
      return clip(`finding: ${String(r.title ?? r.kind)}`);
    }
    case 'range': {
      const a = parseRfc3339(t.start!), b = parseRfc3339(t.end!);
      if (b < a) throw new QueryError('a time range must end after it starts');
      return `${formatNanos(a)} – ${formatNanos(b)}`;
    }
  }
}

function noteOut(r: R): NoteOut {
  const kind = String(r.target_kind) as NoteTarget['kind'];
  const target: NoteTarget =
    kind === 'range'
      ? { kind, start: formatNanos(BigInt(r.range_start as number | bigint)), end: formatNanos(BigInt(r.range_end as number | bigint)) }
      : { kind, id: Number(r.target_id) };
  return {
    id: Number(r.id),
    target,
    label: r.label === null ? null : String(r.label),
    verdict: (r.verdict as NoteVerdict | null) ?? null,
    text: String(r.text ?? ''),
    created_at: String(r.created_at),
    updated_at: String(r.updated_at),
  };
}

function logAction(side: Db, action: string, detail: Record<string, unknown>): number {
  return Number(side.prepare('INSERT INTO actions (at, action, detail) VALUES (?, ?, ?)').run(now(), action, JSON.stringify(detail)).lastInsertRowid);
}

export function listNotes(casePath: string): NoteOut[] {
  const side = readSidecar(casePath);
  if (!side) return [];
  return (side.prepare('SELECT * FROM notes ORDER BY created_at, id').safeIntegers(true).all() as R[]).map(noteOut);
}

export function addNote(caseDb: Db, casePath: string, p: ParsedParams<'notes.add'>): NoteOut {
  const label = maskSecrets(targetLabel(caseDb, p.target));
  const side = openSidecar(casePath);
  const t = now();
  const range = p.target.kind === 'range';
  const id = side.transaction(() => {
    const r = side
      .prepare(
        `INSERT INTO notes (target_kind, target_id, range_start, range_end, label, verdict, text, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        p.target.kind, range ? null : p.target.id!, range ? parseRfc3339(p.target.start!) : null, range ? parseRfc3339(p.target.end!) : null,
        label, p.verdict, p.text, t, t,
      );
    logAction(side, 'note-added', { note: Number(r.lastInsertRowid), target: p.target.kind, id: p.target.id ?? null, verdict: p.verdict });
    return Number(r.lastInsertRowid);
  })();
  return noteOut(side.prepare('SELECT * FROM notes WHERE id = ?').safeIntegers(true).get(id) as R);
}

export function updateNote(casePath: string, p: ParsedParams<'notes.update'>): NoteOut {
  const side = openSidecar(casePath);
  const old = side.prepare('SELECT * FROM notes WHERE id = ?').get(p.id) as R | undefined;
  if (!old) throw new QueryError(`no note with id ${p.id}`);
  side.transaction(() => {
    side
      .prepare('UPDATE notes SET verdict = ?, text = ?, updated_at = ? WHERE id = ?')
      .run(p.verdict === undefined ? old.verdict : p.verdict, p.text ?? old.text, now(), p.id);
    logAction(side, 'note-changed', {
      note: p.id,
      ...(p.verdict !== undefined && p.verdict !== old.verdict ? { verdict: p.verdict, was: old.verdict as string | null } : {}),
      ...(p.text !== undefined && p.text !== old.text ? { text_changed: true } : {}),
    });
  })();
  return noteOut(side.prepare('SELECT * FROM notes WHERE id = ?').safeIntegers(true).get(p.id) as R);
}

export function deleteNote(casePath: string, id: number): { deleted: boolean } {
  const side = readSidecar(casePath);
  if (!side) return { deleted: false };
  return side.transaction(() => {
    const n = side.prepare('DELETE FROM notes WHERE id = ?').run(id).changes;
    if (n) logAction(side, 'note-deleted', { note: id });
    return { deleted: n > 0 };
  })();
}

export function recordAction(casePath: string, action: string, detail: Record<string, unknown>): { id: number } {
  return { id: logAction(openSidecar(casePath), action, detail) };
}

export function listActions(casePath: string, limit = 500): ActionOut[] {
  const side = readSidecar(casePath);
  if (!side) return [];
  return (side.prepare('SELECT * FROM actions ORDER BY id DESC LIMIT ?').all(limit) as R[]).map((r) => {
    let detail: Record<string, unknown> = {};
    try {
      detail = JSON.parse(String(r.detail)) as Record<string, unknown>;
    } catch {
      /* keep {} */
    }
    return { id: Number(r.id), at: String(r.at), action: String(r.action), detail };
  });
}
