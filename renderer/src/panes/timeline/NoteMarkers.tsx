/**
 * The analyst's notes on the timeline: a marker at the moment of each note's target (`notes.marks` resolves it),
 * drawn along the top of the axis row. Markers closer than a few pixels are grouped into one (a menu lists them),
 * so each stays reachable by pointer and keyboard. Clicking a marker selects the note's target.
 */
import type { NoteMark } from '../../../../shared/api';
import { openMenu } from '../ContextMenu';
import { visibleText } from '../../evidence/Evidence';

const GROUP_PX = 12;

const noteText = (m: NoteMark) =>
  `Note${m.verdict ? ` (${m.verdict})` : ''} on ${m.target.kind}${m.label ? ` ${visibleText(m.label)}` : ''}${m.text ? `: ${visibleText(m.text.slice(0, 120))}` : ''}`;

export function NoteMarkers(p: {
  marks: { m: NoteMark; t: number }[];
  /** Plot x (CSS px, within the chart) of a time offset; the plot's left and right edges. */
  x(t: number): number;
  left: number;
  right: number;
  top: number;
  at(t: number): string;
  onPick(m: NoteMark): void;
}) {
  const inView = p.marks
    .map((e) => ({ ...e, x: p.x(e.t) }))
    .filter((e) => e.x >= p.left && e.x <= p.right)
    .sort((a, b) => a.x - b.x);
  const groups: { x: number; items: typeof inView }[] = [];
  for (const e of inView) {
    const g = groups[groups.length - 1];
    if (g && e.x - g.x < GROUP_PX) g.items.push(e);
    else groups.push({ x: e.x, items: [e] });
  }
  return (
    <>
      {groups.map(({ x, items }) => {
        const one = items.length === 1 ? items[0]!.m : null;
        const verdict = one?.verdict ?? (items.every((i) => i.m.verdict === items[0]!.m.verdict) ? items[0]!.m.verdict : null);
        const text = one ? `${noteText(one)} · ${p.at(items[0]!.t)}` : `${items.length} notes at ${p.at(items[0]!.t)}`;
        return (
          <button
            key={items.map((i) => i.m.id).join('-')}
            type="button"
            className={`tl-note${verdict ? ` v-${verdict}` : ''}`}
            style={{ left: x - 6, top: p.top }}
            title={text}
            aria-label={one ? `${text}. Select what it is about` : `${text}. Open the list`}
            aria-haspopup={one ? undefined : 'menu'}
            data-note={items.map((i) => i.m.id).join(' ')}
            onClick={(e) => {
              if (one) return p.onPick(one);
              const r = (e.currentTarget as HTMLElement).getBoundingClientRect();
              openMenu(
                { clientX: r.left, clientY: r.bottom + 2, preventDefault: () => {} },
                items.map((i) => ({ label: `${noteText(i.m)} · ${p.at(i.t)}`, run: () => p.onPick(i.m) })),
              );
            }}
          >
            {one ? '✎' : items.length}
          </button>
        );
      })}
    </>
  );
}
