/**
 * Clock offsets, in the Inputs panel: each input (and, expandable, each file read inside it) with the offset in
 * force for its times and an "offset (s)" field; Apply builds a new case with those offsets (state/reoffset.ts).
 * An input's offset applies to all its files; a file's own value wins. `ClockOffsetsBadge` is the header's reminder
 * that offsets other than 0 are in force.
 */
import { useMemo, useState } from 'react';
import type { CaseInfo, CaseSource } from '../../../shared/api';
import { useImport } from '../state/import';
import { applyOffsets, offsetLabel, parseOffsetSeconds, type OffsetRequest } from '../state/reoffset';
import './clock-offsets.css';

interface InputGroup {
  input: CaseSource;
  /** Files read inside the input (sources with a format below it), in case order. */
  members: CaseSource[];
  /** The offset in force for the input as a whole; null when its files carry different ones. */
  inForce: number | null;
}

function groupSources(info: CaseInfo): InputGroup[] {
  const byId = new Map(info.sources.map((s) => [s.id, s]));
  const inputOf = (s: CaseSource): number => {
    let cur = s;
    const seen = new Set<number>();
    while (cur.parent_id !== null && byId.has(cur.parent_id) && !seen.has(cur.id)) {
      seen.add(cur.id);
      cur = byId.get(cur.parent_id)!;
    }
    return cur.id;
  };
  const groups = new Map<number, InputGroup>();
  for (const s of info.sources) {
    if (s.parent_id === null) groups.set(s.id, { input: s, members: [], inForce: s.offset_seconds });
  }
  for (const s of info.sources) {
    if (s.parent_id === null || s.format === null) continue;
    groups.get(inputOf(s))?.members.push(s);
  }
  for (const g of groups.values()) {
    if (g.members.length === 0) continue;
    const values = new Set(g.members.map((m) => m.offset_seconds));
    g.inForce = values.size === 1 ? [...values][0]! : null;
  }
  return [...groups.values()];
}

/** Sources whose times carry an offset other than 0 (files that were read; not the folders holding them). */
export function offsetSources(info: CaseInfo): CaseSource[] {
  return info.sources.filter((s) => s.format !== null && s.offset_seconds !== 0);
}

const shortName = (s: CaseSource): string => s.member ?? s.path.split(/[\\/]/).filter(Boolean).pop() ?? s.path;

export function ClockOffsetsBadge({ info, onOpen }: { info: CaseInfo | null; onOpen: () => void }) {
  if (!info) return null;
  const list = offsetSources(info);
  if (list.length === 0) return null;
  const n = list.length;
  return (
    <button
      type="button"
      className="badge warn offsets-badge"
      title={list.map((s) => `${shortName(s)}: ${offsetLabel(s.offset_seconds)}`).join('\n')}
      onClick={onOpen}
    >
      clock offsets: {n} source{n === 1 ? '' : 's'}
    </button>
  );
}

export function ClockOffsets({ info }: { info: CaseInfo }) {
  const groups = useMemo(() => groupSources(info), [info]);
  const total = groups.reduce((n, g) => n + g.members.length, 0);
  const [edits, setEdits] = useState<Record<number, string>>({});
  const [open, setOpen] = useState<Set<number>>(() => new Set(total <= 30 ? groups.map((g) => g.input.id) : []));
  const busy = useImport((s) => s.state === 'uploading' || s.state === 'importing');

  const inForce = new Map<number, number | null>();
  for (const g of groups) {
    inForce.set(g.input.id, g.inForce);
    for (const m of g.members) inForce.set(m.id, m.offset_seconds);
  }
  const invalid: number[] = [];
  const changes: OffsetRequest[] = [];
  for (const [k, text] of Object.entries(edits)) {
    const id = Number(k);
    if (text.trim() === '') continue;
    const v = parseOffsetSeconds(text);
    if (v === null) invalid.push(id);
    else if (v !== inForce.get(id)) changes.push({ source_id: id, seconds: v });
  }

  const field = (s: CaseSource, label: string, current: number | null) => {
    const text = edits[s.id] ?? (current === null ? '' : String(current));
    const bad = invalid.includes(s.id);
    return (
      <input
        type="text"
        inputMode="decimal"
        className={`offset-field${bad ? ' invalid' : ''}`}
        aria-label={`offset (s) for ${label}`}
        aria-invalid={bad}
        placeholder={current === null ? 'mixed' : '0'}
        value={text}
        disabled={busy}
        onChange={(e) => {
          const v = e.currentTarget.value;
          setEdits((x) => ({ ...x, [s.id]: v }));
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && changes.length > 0 && invalid.length === 0) void applyOffsets(changes);
        }}
      />
    );
  };
  const toggle = (id: number) =>
    setOpen((o) => {
      const n = new Set(o);
      if (n.has(id)) n.delete(id);
      else n.add(id);
      return n;
    });

  return (
    <section id="clock-offsets" className="clock-offsets" aria-label="Clock offsets">
      <h2>Clock offsets</h2>
      <p className="dim">
        Seconds added to every time of a source (± and decimals allowed). An input&apos;s offset applies to all its
        files; a file&apos;s own wins. Apply builds a new case file; this one stays as it is.
      </p>
      <table className="offsets">
        <thead>
          <tr>
            <th>source</th>
            <th>format</th>
            <th>in force</th>
            <th>offset (s)</th>
          </tr>
        </thead>
        <tbody>
          {groups.map((g) => (
            <GroupRows
              key={g.input.id}
              group={g}
              expanded={open.has(g.input.id)}
              onToggle={() => toggle(g.input.id)}
              field={field}
            />
          ))}
        </tbody>
      </table>
      <div className="offsets-actions">
        <button
          type="button"
          disabled={busy || changes.length === 0 || invalid.length > 0}
          onClick={() => void applyOffsets(changes)}
        >
          Apply offsets
        </button>
        <button type="button" disabled={Object.keys(edits).length === 0} onClick={() => setEdits({})}>
          Reset
        </button>
        {invalid.length > 0 ? (
          <span className="error-line" role="alert">
            An offset is a number of seconds, like 2.5 or -3600 (at most a week).
          </span>
        ) : (
          <span className="dim">
            {changes.length > 0 ? `${changes.length} change${changes.length === 1 ? '' : 's'} to apply` : ''}
          </span>
        )}
      </div>
    </section>
  );
}

function GroupRows({
  group,
  expanded,
  onToggle,
  field,
}: {
  group: InputGroup;
  expanded: boolean;
  onToggle: () => void;
  field: (s: CaseSource, label: string, current: number | null) => React.ReactNode;
}) {
  const { input, members, inForce } = group;
  const own = members.length === 0;
  return (
    <>
      <tr className="offset-input">
        <td>
          <div className="offset-name">
            {!own && (
              <button
                type="button"
                className="toggle"
                aria-expanded={expanded}
                aria-label={`${expanded ? 'Hide' : 'Show'} files of ${input.path}`}
                onClick={onToggle}
              >
                {expanded ? '▾' : '▸'}
              </button>
            )}
            <span className="mono">{input.path}</span>
          </div>
        </td>
        <td>{input.format ?? `${members.length} file${members.length === 1 ? '' : 's'}`}</td>
        <td className={`mono in-force${inForce !== 0 ? ' nonzero' : ''}`}>
          {inForce === null ? 'mixed' : offsetLabel(inForce)}
        </td>
        <td>{field(input, input.path, inForce)}</td>
      </tr>
      {expanded &&
        members.map((m) => (
          <tr key={m.id} className="offset-member">
            <td className="mono member">{m.member ?? m.path}</td>
            <td>{m.format}</td>
            <td className={`mono in-force${m.offset_seconds !== 0 ? ' nonzero' : ''}`}>
              {offsetLabel(m.offset_seconds)}
            </td>
            <td>{field(m, m.member ?? m.path, m.offset_seconds)}</td>
          </tr>
        ))}
    </>
  );
}
