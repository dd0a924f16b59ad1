/** Keyboard navigation over the network table's current order (filter + sort), answered by the API. */
import { api } from '../api';
import { appStore, networkFilter, select } from './selection';

let queue: Promise<void> = Promise.resolve();

/**
 * Select the next (`+1`) or previous (`-1`) call in the table's order; the first one when nothing is selected.
 * Moves run one after another, so quick repeated keys each move from where the previous one landed.
 */
export function moveCall(delta: 1 | -1): Promise<void> {
  queue = queue.then(() => step(delta)).catch(() => {});
  return queue;
}

async function step(delta: 1 | -1): Promise<void> {
  const s = appStore.get();
  const filter = networkFilter(s);
  let index = -1;
  if (s.selection?.kind === 'call') {
    index = (await api['network.indexOf']({ id: s.selection.id, filter, sort: s.sort, dir: s.dir })).index;
  }
  const target = index < 0 ? 0 : index + delta;
  if (target < 0) return;
  const r = await api['network.query']({ filter, sort: s.sort, dir: s.dir, offset: target, limit: 1 });
  const row = r.rows[0];
  if (row) select({ kind: 'call', id: row.id });
}
