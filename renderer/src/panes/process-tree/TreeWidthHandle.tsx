/**
 * The process tree column's width: a drag handle (a focusable separator: arrows resize, double-click or Home
 * restores the default) on the column's right edge, remembered in localStorage. App.tsx puts the width into the
 * layout grid as `--tree-col`.
 */
import { useEffect, useRef, useState } from 'react';

const STORAGE_KEY = 'runlens.treeColumnWidth';
export const TREE_MIN_W = 220;
/** Room the column always leaves to the centre panes and Details (px): the tables stay readable. */
const OTHERS_MIN_W = 940;
const STEP = 24;

const maxWidth = () => Math.max(TREE_MIN_W, window.innerWidth - OTHERS_MIN_W);
const clampWidth = (w: number) => Math.round(Math.min(maxWidth(), Math.max(TREE_MIN_W, w)));

function readStored(): number | null {
  try {
    const v = Number(window.localStorage.getItem(STORAGE_KEY));
    return Number.isFinite(v) && v >= TREE_MIN_W ? v : null;
  } catch {
    return null;
  }
}

function store(w: number | null): void {
  try {
    if (w === null) window.localStorage.removeItem(STORAGE_KEY);
    else window.localStorage.setItem(STORAGE_KEY, String(w));
  } catch {
    // storage may be unavailable (private mode, file://): the width just is not remembered
  }
}

/** The chosen width (px), null for the default; and its setter, which remembers it. */
export function useTreeWidth(): [number | null, (w: number | null) => void] {
  const [w, setW] = useState<number | null>(readStored);
  return [
    w,
    (next) => {
      const v = next === null ? null : clampWidth(next);
      setW(v);
      store(v);
    },
  ];
}

/** The grid column for a chosen width: never wider than the window allows (it may shrink), never under the minimum. */
export const treeColumn = (w: number | null): string | undefined =>
  w === null ? undefined : `clamp(${TREE_MIN_W}px, ${w}px, calc(100vw - ${OTHERS_MIN_W}px))`;

export function TreeWidthHandle({ onWidth }: { onWidth(w: number | null): void }) {
  const [now, setNow] = useState<number | null>(null);
  const width = (el: Element) => el.parentElement?.getBoundingClientRect().width ?? TREE_MIN_W;
  const self = useRef<HTMLDivElement>(null);
  useEffect(() => {
    // a focusable separator needs its value: the column's width now (and after window resizes)
    const measure = () => self.current && setNow(Math.round(width(self.current)));
    measure();
    window.addEventListener('resize', measure);
    return () => window.removeEventListener('resize', measure);
  }, []);
  return (
    <div
      ref={self}
      className="col-resizer"
      role="separator"
      aria-orientation="vertical"
      aria-label="Process tree width"
      aria-valuemin={TREE_MIN_W}
      aria-valuemax={typeof window === 'undefined' ? undefined : maxWidth()}
      aria-valuenow={now ?? TREE_MIN_W}
      tabIndex={0}
      title="Drag to resize the process tree (double-click: default width)"
      onFocus={(e) => setNow(Math.round(width(e.currentTarget)))}
      onPointerDown={(e) => {
        if (e.button !== 0) return;
        e.preventDefault();
        const el = e.currentTarget;
        const x0 = e.clientX;
        const w0 = width(el);
        el.setPointerCapture(e.pointerId);
        el.classList.add('dragging');
        const move = (m: PointerEvent) => {
          const w = clampWidth(w0 + m.clientX - x0);
          setNow(w);
          onWidth(w);
        };
        const up = () => {
          el.classList.remove('dragging');
          el.removeEventListener('pointermove', move);
          el.removeEventListener('pointerup', up);
          el.removeEventListener('pointercancel', up);
        };
        el.addEventListener('pointermove', move);
        el.addEventListener('pointerup', up);
        el.addEventListener('pointercancel', up);
      }}
      onDoubleClick={() => {
        setNow(null);
        onWidth(null);
      }}
      onKeyDown={(e) => {
        const w = width(e.currentTarget);
        let next: number | null | undefined;
        if (e.key === 'ArrowLeft') next = w - STEP;
        else if (e.key === 'ArrowRight') next = w + STEP;
        else if (e.key === 'Home') next = null;
        else return;
        e.preventDefault();
        onWidth(next);
        setNow(next === null ? null : clampWidth(next));
      }}
    />
  );
}
