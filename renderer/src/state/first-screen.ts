/**
 * First screen first, in the page (benchmark 7): the log's first rows are drawn before the other panes are even
 * loaded. The page's entry bundle holds the header and the build log; the other panes (timeline, process views,
 * calls, details, compare, findings, notes) are separate chunks (`layout/later.tsx`) that are fetched, parsed and
 * mounted only once the first rows are on screen, each showing a labelled placeholder until then. Their calls
 * are held by the transport's gate until then too (first-screen-gate.ts).
 *
 * `firstScreenDrawn()` is said once per page: by the log pane when its first rows are in the DOM (or it has no
 * lines, or it failed), by the layout when the log pane is not shown, by a URL holding a selection (the panes must
 * take their place around it), or at the latest `MAX_WAIT_MS` after the first case view mounted. The panes load a
 * frame later, after the rows have been painted.
 */
import { createStore, useStore } from './store';

/** A page whose log does not draw (a slow server, an unexpected layout) waits no longer than this for its panes. */
export const MAX_WAIT_MS = 1500;

const store = createStore<{ drawn: boolean }>({ drawn: false });
let said = false;
let release: () => void = () => {};
const drawnOnce = new Promise<void>((r) => (release = r));

/** The page's first screen is drawn: the other panes load after the next paint. */
export function firstScreenDrawn(): void {
  if (said) return;
  said = true;
  mark('runlens:first-screen'); // where the page's time went (benchmark 7 prints the page's marks)
  // After the browser has painted the rows: the next frame's callback, then a task after it.
  const go = () => {
    mark('runlens:panes-load');
    store.set({ drawn: true });
    release();
  };
  if (typeof requestAnimationFrame !== 'function' || document.visibilityState === 'hidden') setTimeout(go, 0);
  else {
    let done = false;
    const once = () => {
      if (done) return;
      done = true;
      go();
    };
    requestAnimationFrame(() => setTimeout(once, 0));
    setTimeout(once, 100); // a hidden or throttled page draws no frames
  }
}

function mark(name: string): void {
  try {
    performance.mark(name);
  } catch {
    // no User Timing: nothing to note
  }
}

/** Whether the other panes may load (the first rows are on screen). */
export const useFirstScreenDrawn = (): boolean => useStore(store, (s) => s.drawn);
export const isFirstScreenDrawn = (): boolean => store.get().drawn;
export const whenFirstScreenDrawn = (): Promise<void> => drawnOnce;

let waiting = false;
/** The case view mounted: the other panes load at the latest `MAX_WAIT_MS` from now. */
export function firstScreenStarted(): void {
  if (waiting || said) return;
  waiting = true;
  setTimeout(firstScreenDrawn, MAX_WAIT_MS);
}

// A page opened on a selection (`#call=…`, `#log=…`) or taken to one: every pane takes its place around it at once.
if (typeof location !== 'undefined' && location.hash.replace(/^#/, '') !== '') {
  store.set({ drawn: true });
  said = true;
  release();
} else if (typeof window !== 'undefined') {
  window.addEventListener('hashchange', firstScreenDrawn, { once: true });
}
