/**
 * Evidence text on screen (issue 11 #6): everything a bundle says is drawn through these, so bidi controls cannot
 * reorder it, invisible characters show as marks (`⟨RLO⟩`, `⟨ZWSP⟩`, with the code point in the tooltip) and each
 * piece is a bidi isolate (legitimate right-to-left text cannot spill over its neighbours). Hosts also get a warning
 * badge (mixed scripts, look-alikes, invisible characters) and, when not ASCII, their punycode beside them.
 * What counts as hidden or suspicious is decided in shared/evidence-text.ts (pure, unit-tested).
 */
import type { ReactNode } from 'react';
import { checkHost, evidencePieces, hasHidden, visibleText } from '../../../shared/evidence-text';
import './evidence.css';

export { visibleText };

/** Text from the evidence, hidden characters drawn as marks. */
export function Ev({ text, className }: { text: string | null | undefined; className?: string }): ReactNode {
  if (text === null || text === undefined) return null;
  if (!hasHidden(text)) return <bdi className={className}>{text}</bdi>;
  return (
    <bdi className={`ev-has-marks${className ? ` ${className}` : ''}`} data-evidence-marks="">
      {evidencePieces(text).map((p, i) =>
        'text' in p ? (
          p.text
        ) : (
          <span key={i} className="ev-mark" title={p.title} aria-label={p.title}>
            {p.mark}
          </span>
        ),
      )}
    </bdi>
  );
}

/** The badge's few words (the tooltip has every warning in full). */
function shortWarning(first: string, looksLike: string | null): string {
  if (looksLike) return `not ${looksLike}`;
  if (first.startsWith('bidi')) return 'bidi';
  if (first.startsWith('invisible')) return 'hidden chars';
  if (first.startsWith('mixed')) return 'mixed scripts';
  if (first.startsWith('punycode')) return 'punycode';
  return 'non-ASCII';
}

/** A host (domain) from the evidence: as Ev, plus a warning badge and the punycode form when it is not plain ASCII. */
export function Host({ name, className }: { name: string | null | undefined; className?: string }): ReactNode {
  if (name === null || name === undefined) return null;
  const c = checkHost(name);
  if (c.warnings.length === 0) return <bdi className={className}>{name}</bdi>;
  return (
    <span className={`ev-host${className ? ` ${className}` : ''}`} data-host-warning={c.warnings.join('; ')}>
      {/* the warning first: in a narrow column the end of the cell is cut off, the start never is */}
      <span className="badge warn ev-host-badge" title={c.warnings.join('\n')} role="img" aria-label={`suspicious host: ${c.warnings.join(', ')}`}>
        ⚠ {shortWarning(c.warnings[0]!, c.looksLike)}
      </span>
      <Ev text={name} />
      {c.ascii && <span className="dim mono ev-punycode">{c.ascii}</span>}
    </span>
  );
}

/** A `title` attribute's text: tooltips cannot hold marks, so hidden characters are spelled out. */
export function evTitle(s: string | null | undefined): string | undefined {
  return s === null || s === undefined ? undefined : visibleText(s);
}
