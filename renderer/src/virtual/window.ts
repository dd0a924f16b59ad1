/**
 * Fixed-row-height virtualization math, pure. The scrolling spacer is `rowCount * rowHeight` tall up to
 * MAX_SCROLL_PX; past that (millions of rows) the scroll position maps proportionally onto the rows, so any
 * count stays scrollable while the DOM only ever holds the rows in view plus an overscan.
 */
export const MAX_SCROLL_PX = 8_000_000;

export interface VirtualWindow {
  /** Index of the first row to draw. */
  first: number;
  /** Number of rows to draw. */
  count: number;
  /** Top of the first drawn row, in px from the top of the spacer. */
  top: number;
  /** Height of the spacer. */
  height: number;
}

export function spacerHeight(rowCount: number, rowHeight: number): number {
  return Math.min(rowCount * rowHeight, MAX_SCROLL_PX);
}

export function virtualWindow(
  rowCount: number,
  rowHeight: number,
  scrollTop: number,
  viewport: number,
  overscan = 6,
): VirtualWindow {
  const height = spacerHeight(rowCount, rowHeight);
  if (rowCount <= 0 || viewport <= 0) return { first: 0, count: 0, top: 0, height };
  const visible = Math.ceil(viewport / rowHeight) + 1;
  const maxScroll = Math.max(0, height - viewport);
  const st = Math.max(0, Math.min(scrollTop, maxScroll));
  let exact: number;
  if (rowCount * rowHeight <= MAX_SCROLL_PX) exact = st / rowHeight;
  else exact = maxScroll > 0 ? (st / maxScroll) * Math.max(0, rowCount - (visible - 1)) : 0;
  const firstVisible = Math.floor(exact);
  const first = Math.max(0, firstVisible - overscan);
  const last = Math.min(rowCount - 1, firstVisible + visible + overscan);
  const top = st - (exact - first) * rowHeight;
  return { first, count: last - first + 1, top, height };
}

/** The scrollTop that shows row `index` (centred when `center`, else only scrolled into view). */
export function scrollTopFor(
  index: number,
  rowCount: number,
  rowHeight: number,
  viewport: number,
  currentTop: number,
  center = true,
): number {
  const height = spacerHeight(rowCount, rowHeight);
  const maxScroll = Math.max(0, height - viewport);
  const visible = Math.ceil(viewport / rowHeight) + 1;
  if (rowCount * rowHeight <= MAX_SCROLL_PX) {
    const y = index * rowHeight;
    if (!center) {
      if (y < currentTop) return y;
      if (y + rowHeight > currentTop + viewport) return Math.min(maxScroll, y + rowHeight - viewport);
      return currentTop;
    }
    return Math.max(0, Math.min(maxScroll, y - viewport / 2 + rowHeight / 2));
  }
  const span = Math.max(1, rowCount - (visible - 1));
  const target = center ? index - (visible - 1) / 2 : index;
  return Math.max(0, Math.min(maxScroll, (target / span) * maxScroll));
}
