/**
 * The preload with Electron's renderer modules faked: what it exposes, that `call` passes only well-formed calls
 * (`{ case, method, params }`) to the one IPC channel, and that files are staged by their picked/dropped paths only.
 */
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { appMethods, methods } from '../../shared/api';

const CASE = '0123456789abcdef01234567';

const fake = vi.hoisted(() => {
  const listeners = new Map<string, Set<(event: unknown, ...args: unknown[]) => void>>();
  return {
    exposed: new Map<string, unknown>(),
    invoke: vi.fn(async (_channel: string, arg: unknown) => ({ ok: true, value: { echoed: arg } })),
    listeners,
    emit(channel: string, ...args: unknown[]) {
      for (const l of listeners.get(channel) ?? []) l({ sender: 'SECRET-IPC-EVENT' }, ...args);
    },
    getPathForFile: vi.fn((file: { name: string }) => `/cases/${file.name}`),
  };
});

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => fake.exposed.set(key, api) },
  ipcRenderer: {
    invoke: fake.invoke,
    on: (channel: string, l: (event: unknown, ...args: unknown[]) => void) => {
      if (!fake.listeners.has(channel)) fake.listeners.set(channel, new Set());
      fake.listeners.get(channel)!.add(l);
    },
    removeListener: (channel: string, l: (event: unknown, ...args: unknown[]) => void) => fake.listeners.get(channel)?.delete(l),
  },
  webUtils: { getPathForFile: fake.getPathForFile },
}));

type Bridge = {
  call(call: unknown): Promise<{ ok: boolean; error?: string; value?: unknown }>;
  onImportProgress(cb: (p: unknown) => void): () => void;
  stageFiles(files: unknown[]): Promise<{ ok: boolean; error?: string; value?: unknown }>;
};
let bridge: Bridge;

beforeAll(async () => {
  await import('../../electron/main/preload');
  bridge = fake.exposed.get('runlens') as Bridge;
});

describe('preload bridge', () => {
  it('exposes exactly window.runlens with call, onImportProgress and stageFiles', () => {
    expect([...fake.exposed.keys()]).toEqual(['runlens']);
    expect(Object.keys(bridge).sort()).toEqual(['call', 'onImportProgress', 'stageFiles']);
  });

  it('sends every contract method over runlens:call, naming its case', async () => {
    const names = Object.keys(methods);
    expect(names.length).toBeGreaterThan(5);
    for (const m of names) {
      fake.invoke.mockClear();
      const env = await bridge.call({ case: CASE, method: m, params: { x: 1 } });
      expect(env).toEqual({ ok: true, value: { echoed: { case: CASE, method: m, params: { x: 1 } } } });
      expect(fake.invoke).toHaveBeenCalledExactlyOnceWith('runlens:call', { case: CASE, method: m, params: { x: 1 } });
    }
    for (const m of Object.keys(appMethods)) {
      fake.invoke.mockClear();
      await bridge.call({ case: null, method: m });
      expect(fake.invoke).toHaveBeenCalledExactlyOnceWith('runlens:call', { case: null, method: m, params: {} });
    }
    // Nothing but the three fields crosses.
    fake.invoke.mockClear();
    await bridge.call({ case: CASE, method: 'case.info', params: {}, extra: 'x' });
    expect(fake.invoke).toHaveBeenCalledWith('runlens:call', { case: CASE, method: 'case.info', params: {} });
  });

  it('refuses malformed calls without touching IPC (main checks the contract again)', async () => {
    fake.invoke.mockClear();
    for (const m of ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'case.info ', 'CASE.INFO', '', 'runlens:call', 'a.b.c']) {
      const env = await bridge.call({ case: CASE, method: m, params: {} });
      expect(env.ok, m).toBe(false);
      expect(env.error).toMatch(/^unknown method/);
    }
    for (const c of ['../x', 'ABCDEF0123456789abcdef01', 7, '0123']) {
      expect(await bridge.call({ case: c, method: 'case.info' })).toMatchObject({ ok: false, error: expect.stringMatching(/^not a case id/) });
    }
    expect(await bridge.call(42)).toMatchObject({ ok: false });
    expect(await bridge.call(null)).toMatchObject({ ok: false });
    expect(fake.invoke).not.toHaveBeenCalled();
  });

  it('passes import progress payloads only (never the IPC event), and unsubscribes', () => {
    const seen: unknown[][] = [];
    const off = bridge.onImportProgress((...args) => seen.push(args));
    fake.emit('runlens:import-progress', { phase: 'reading', done: 3 });
    fake.emit('some-other-channel', { phase: 'nope' });
    expect(seen).toEqual([[{ phase: 'reading', done: 3 }]]);
    off();
    fake.emit('runlens:import-progress', { phase: 'after' });
    expect(seen).toHaveLength(1);
    expect(() => bridge.onImportProgress('not a function' as unknown as () => void)).toThrow(TypeError);
  });

  it('stages picked or dropped files by their paths, and refuses a file without one', async () => {
    fake.invoke.mockClear();
    expect(await bridge.stageFiles([{ name: 'bundle.zip' }, { name: 'network.jsonl' }])).toMatchObject({ ok: true });
    expect(fake.invoke).toHaveBeenCalledExactlyOnceWith('runlens:stage', ['/cases/bundle.zip', '/cases/network.jsonl']);
    fake.invoke.mockClear();
    fake.getPathForFile.mockImplementationOnce(() => '');
    expect(await bridge.stageFiles([{ name: 'made-by-the-page.zip' }])).toMatchObject({ ok: false, error: expect.stringMatching(/no local path/) });
    expect(await bridge.stageFiles([])).toMatchObject({ ok: false });
    expect(fake.invoke).not.toHaveBeenCalled();
  });
});
