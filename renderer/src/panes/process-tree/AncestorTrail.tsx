/**
 * A breadcrumb over the top of the tree's viewport naming the ancestors of the selected (or focused) process that
 * are out of view to the left: a narrow column shows only a few depth levels, the trail keeps the root chain in
 * sight. A click pans the tree to that ancestor. Long trails keep the root and the nearest ancestors.
 */
import type { LaidNode } from './tree-layout';
import { Ev, visibleText } from '../../evidence/Evidence';

/** Height of the trail (px, see .pt-trail): framings centre the tree below it. */
export const TRAIL_H = 20;

/** Most ancestors named; the middle of a longer trail folds into "…". */
const MAX_SHOWN = 4;

export function AncestorTrail({ nodes, onGo }: { nodes: readonly LaidNode[]; onGo(n: LaidNode): void }) {
  if (!nodes.length) return null;
  const shown = nodes.length <= MAX_SHOWN ? nodes : [nodes[0]!, ...nodes.slice(nodes.length - (MAX_SHOWN - 1))];
  const folded = nodes.slice(1, nodes.length - (MAX_SHOWN - 1));
  const name = (n: LaidNode) => `${visibleText(n.node?.name ?? '?')} (pid ${n.node?.pid ?? '?'})`;
  return (
    <nav className="pt-trail" aria-label="Ancestors out of view" style={{ height: TRAIL_H }}>
      <span className="pt-trail-mark" aria-hidden="true">
        ‹
      </span>
      {shown.map((n, i) => (
        <span key={n.key} className="pt-trail-item">
          {i === 1 && folded.length > 0 && (
            <span className="pt-trail-fold" title={folded.map(name).join(' › ')}>
              …({folded.length}) ›
            </span>
          )}
          <button type="button" className="pt-trail-link" title={`Show ${name(n)}`} onClick={() => onGo(n)}>
            <Ev text={n.node?.name ?? '?'} />
          </button>
          <span className="pt-trail-sep" aria-hidden="true">
            ›
          </span>
        </span>
      ))}
    </nav>
  );
}
