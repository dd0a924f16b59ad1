import { describe, expect, it, vi } from 'vitest';
import type { Call } from '../../shared/api';
import { handleCall, handleStage, registerCallHandler, type CallRouter, type SenderEvent } from '../../electron/main/ipc-handler';

const appFrame = { senderFrame: { url: 'runlens://app/index.html', parent: null } };
const CASE = '0123456789abcdef01234567';
const call = (method: unknown, params?: unknown, c: string | null = CASE) => ({ case: c, method, params });

function router(): CallRouter & { calls: [string | null, string, unknown][] } {
  const calls: [string | null, string, unknown][] = [];
  const fn = (async (c: Call) => {
    calls.push([c.case, c.method, c.params]);
    return { ok: true, value: { method: c.method } };
  }) as unknown as CallRouter & { calls: [string | null, string, unknown][] };
  fn.calls = calls;
  return fn;
}

describe('runlens:call sender and method checks', () => {
  it('routes a contract method from the app frame', async () => {
    const r = router();
    expect(await handleCall(r, appFrame, call('case.info', {}))).toEqual({ ok: true, value: { method: 'case.info' } });
    expect(await handleCall(r, appFrame, call('network.query', undefined))).toEqual({ ok: true, value: { method: 'network.query' } });
    expect(await handleCall(r, appFrame, call('cases.list', {}, null))).toEqual({ ok: true, value: { method: 'cases.list' } });
    expect(r.calls).toEqual([
      [CASE, 'case.info', {}],
      [CASE, 'network.query', {}],
      [null, 'cases.list', {}],
    ]);
  });

  it('refuses frames that are not the app, sub-frames and gone frames', async () => {
    const r = router();
    const senders = [
      { senderFrame: { url: 'https://github.com/', parent: null } },
      { senderFrame: { url: 'file:///home/u/index.html', parent: null } },
      { senderFrame: { url: 'runlens://evil/index.html', parent: null } },
      { senderFrame: { url: 'http://127.0.0.1:5173/', parent: null } },
      { senderFrame: { url: '', parent: null } },
      { senderFrame: { url: 'runlens://app/index.html', parent: { url: 'runlens://app/index.html' } } },
      { senderFrame: null },
    ];
    for (const s of senders) {
      const env = await handleCall(r, s, call('case.info', {}));
      expect(env.ok, JSON.stringify(s)).toBe(false);
      if (!env.ok) expect(env.error).toMatch(/^refused/);
    }
    expect(r.calls).toEqual([]);
  });

  it('refuses methods outside the contract', async () => {
    const r = router();
    for (const m of ['db.exec', 'constructor', '__proto__', 'import', null, 7, { m: 'case.info' }]) {
      const env = await handleCall(r, appFrame, call(m, {}));
      expect(env).toMatchObject({ ok: false });
    }
    for (const bad of [null, 'case.info', 7, ['case.info']]) expect(await handleCall(r, appFrame, bad)).toMatchObject({ ok: false });
    expect(r.calls).toEqual([]);
  });

  it('turns a throwing route into an error envelope without a stack', async () => {
    const boom: CallRouter = async () => {
      throw new Error('case file /x.runlens is locked');
    };
    expect(await handleCall(boom, appFrame, call('steps.list', {}))).toEqual({ ok: false, error: 'case file /x.runlens is locked' });
  });

  it('registers exactly one handler on runlens:call and removes it', async () => {
    type Listener = (event: SenderEvent, ...args: unknown[]) => unknown;
    const handlers = new Map<string, Listener>();
    const ipcMain = { handle: vi.fn((c: string, l: Listener) => void handlers.set(c, l)), removeHandler: vi.fn((c: string) => void handlers.delete(c)) };
    const r = router();
    const off = registerCallHandler(ipcMain, r);
    expect([...handlers.keys()]).toEqual(['runlens:call']);
    expect(await handlers.get('runlens:call')!(appFrame, call('steps.list', {}))).toEqual({ ok: true, value: { method: 'steps.list' } });
    expect(await handlers.get('runlens:call')!({ senderFrame: { url: 'https://evil.example/', parent: null } }, call('steps.list', {}))).toMatchObject({ ok: false });
    off();
    expect(handlers.size).toBe(0);
  });

  it('stages only lists of paths from the app frame', () => {
    const seen: string[][] = [];
    const stage = (paths: string[]) => (seen.push(paths), { ok: true as const, value: { uploads: ['a'.repeat(32)] } });
    expect(handleStage(stage, appFrame, ['/home/me/bundle.zip'])).toEqual({ ok: true, value: { uploads: ['a'.repeat(32)] } });
    expect(handleStage(stage, { senderFrame: { url: 'https://evil.example/', parent: null } }, ['/etc/passwd'])).toMatchObject({ ok: false });
    for (const bad of [[], '/etc/passwd', [7], [''], null]) expect(handleStage(stage, appFrame, bad)).toMatchObject({ ok: false });
    expect(seen).toEqual([['/home/me/bundle.zip']]);
  });
});
