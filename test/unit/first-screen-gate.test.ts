/**
 * The page's first-screen gate (renderer/src/first-screen-gate.ts): a page opened on a case sends the first screen's
 * calls at once and holds the others until the log's first rows are in the DOM (or the log has no lines, its pane is
 * not shown, the URL's hash changes, or MAX_HOLD_MS passed). Driven with a scripted window: its frames, its DOM
 * (whether the log pane and a drawn log line are there) and its hashchange listeners.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { firstScreenGate, MAX_HOLD_MS } from '../../renderer/src/first-screen-gate';

function scriptedWindow(dom: { logPane: boolean; rows: boolean }) {
  const frames: (() => void)[] = [];
  const listeners: Record<string, (() => void)[]> = {};
  const win = {
    requestAnimationFrame: (f: () => void) => frames.push(f),
    addEventListener: (type: string, f: () => void) => (listeners[type] ??= []).push(f),
    document: {
      querySelector: (sel: string) => (sel === '.log-pane' ? dom.logPane : sel.startsWith('.log-line') ? dom.rows : false) || null,
    },
  };
  return {
    win: win as unknown as Window,
    frame: () => frames.splice(0).forEach((f) => f()),
    fire: (type: string) => (listeners[type] ?? []).forEach((f) => f()),
  };
}

const call = (method: string, kase: string | null = 'c0ffee') => ({ case: kase, method });
const settled = async (p: Promise<void>) => {
  let done = false;
  void p.then(() => (done = true));
  for (let i = 0; i < 5; i++) await Promise.resolve();
  return done;
};

afterEach(() => vi.useRealTimers());

describe('first-screen gate', () => {
  it('sends the first screen at once and the rest once the first log rows are drawn', async () => {
    const dom = { logPane: true, rows: false };
    const w = scriptedWindow(dom);
    const gate = firstScreenGate(w.win);
    for (const m of ['log.outline', 'log.window', 'case.info', 'steps.list', 'case.status']) expect(await settled(gate.wait(call(m)))).toBe(true);
    expect(await settled(gate.wait(call('cases.list', null)))).toBe(true); // case-less: never held
    const heavy = gate.wait(call('timeline.density'));
    w.frame(); // the log pane is there: still held
    expect(await settled(heavy)).toBe(false);
    gate.answered(call('log.window'), { ok: true, value: { total: 10, rows: [] } });
    await Promise.resolve();
    w.frame(); // the window arrived but its rows are not drawn yet
    expect(await settled(heavy)).toBe(false);
    dom.rows = true;
    w.frame();
    expect(await settled(heavy)).toBe(true);
    expect(gate.open).toBe(true);
  });

  it('opens when the log is empty, its pane is not shown, or the URL is given a selection', async () => {
    const empty = firstScreenGate(scriptedWindow({ logPane: true, rows: false }).win);
    const held = empty.wait(call('network.query'));
    empty.answered(call('log.outline'), { ok: true, value: { total: 0 } });
    expect(await settled(held)).toBe(true);

    const collapsed = scriptedWindow({ logPane: false, rows: false });
    const g2 = firstScreenGate(collapsed.win);
    const held2 = g2.wait(call('process.tree'));
    collapsed.frame();
    expect(await settled(held2)).toBe(true);

    const hashed = scriptedWindow({ logPane: true, rows: false });
    const g3 = firstScreenGate(hashed.win);
    const held3 = g3.wait(call('network.explain'));
    hashed.frame();
    expect(await settled(held3)).toBe(false);
    hashed.fire('hashchange');
    expect(await settled(held3)).toBe(true);
  });

  it('holds no call longer than MAX_HOLD_MS', async () => {
    vi.useFakeTimers();
    const gate = firstScreenGate(scriptedWindow({ logPane: true, rows: false }).win);
    const held = gate.wait(call('compare.run'));
    vi.advanceTimersByTime(MAX_HOLD_MS - 10);
    expect(await settled(held)).toBe(false);
    vi.advanceTimersByTime(20);
    expect(await settled(held)).toBe(true);
  });
});
