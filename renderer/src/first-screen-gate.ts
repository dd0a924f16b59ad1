/**
 * First screen first, in the page (benchmark 7): when a page opens a case, the log's first rows are drawn before the
 * heavier panes ask for anything. Those panes now mount only after the first rows are painted (state/first-screen.ts,
 * layout/later.tsx); this gate still holds any other call made before then (the header's, a pane mounted early by a
 * collapsed log), since on a 2-core laptop with the import still running they would compete for the query processes
 * and the CPU with the few reads the log needs. So until the log has drawn its first rows,
 * calls about the case other than the first screen's (`FIRST_SCREEN`: the case, its state and steps, the log's
 * outline and window) wait here, and then go, in the order asked. The gate opens once, for the page's first case:
 * a few frames after the first log window arrives (when its rows are in the DOM), when the log has no lines or its
 * pane is not shown, when the URL's hash changes (a selection to show), or at the latest after `MAX_HOLD_MS`. A page
 * opened on a selection has no gate (transport.ts). Case-less calls (cases list, imports) never wait.
 */
import type { Call, Envelope } from '../../shared/api';

/** What the log pane and the page's header need for the first screen (never held). */
export const FIRST_SCREEN: ReadonlySet<string> = new Set([
  'case.info',
  'case.status',
  'steps.list',
  'log.outline',
  'log.window',
  'log.indexAt',
  'log.indexOfId',
]);

/** A page whose log does not draw (an error, an unexpected layout) holds its other panes no longer than this. */
export const MAX_HOLD_MS = 1500;
/** Frames to wait for the log's rows after its first window arrived. */
const MAX_FRAMES = 10;

export interface FirstScreenGate {
  /** Resolves when `call` may be sent. */
  wait(call: Pick<Call, 'case' | 'method'>): Promise<void>;
  /** Tell the gate what a call answered (the first log window and outline open it). */
  answered(call: Pick<Call, 'case' | 'method'>, env: Envelope<unknown>): void;
  readonly open: boolean;
  /** The page drew its first screen (state/first-screen.ts): open now. */
  release(): void;
}

export function firstScreenGate(win: Window): FirstScreenGate {
  let open = false;
  let release: () => void = () => {};
  const opened = new Promise<void>((r) => (release = r));
  let timer: ReturnType<typeof setTimeout> | null = null;
  const openNow = () => {
    if (open) return;
    open = true;
    if (timer) clearTimeout(timer);
    release();
  };
  // The page is being taken somewhere (a selection in its URL): the panes load as they would without the gate.
  win.addEventListener('hashchange', openNow, { once: true });
  const frame = () =>
    new Promise<void>((r) => {
      win.requestAnimationFrame(() => r());
      setTimeout(r, 100); // a hidden tab draws no frames
    });
  const rowsDrawn = () => win.document.querySelector('.log-line:not(.placeholder)') !== null;
  const logShown = () => win.document.querySelector('.log-pane') !== null;
  let watching = false;
  /** The first window arrived: open when its rows are in the DOM (or after a few frames). */
  const openWhenDrawn = async () => {
    if (watching) return;
    watching = true;
    for (let i = 0; i < MAX_FRAMES && !rowsDrawn(); i++) await frame();
    openNow();
  };
  return {
    get open() {
      return open;
    },
    async wait(call) {
      if (open || call.case === null || FIRST_SCREEN.has(call.method)) return;
      timer ??= setTimeout(openNow, MAX_HOLD_MS);
      // The panes mount together: by the next frame the log pane is there, unless it is collapsed.
      if (!watching) void frame().then(() => !logShown() && openNow());
      await opened;
    },
    release: openNow,
    answered(call, env) {
      if (open || call.case === null) return;
      if (call.method === 'log.window') void (env.ok ? openWhenDrawn() : openNow());
      else if (call.method === 'log.outline' && (!env.ok || (env.value as { total?: number } | undefined)?.total === 0)) openNow();
    },
  };
}
