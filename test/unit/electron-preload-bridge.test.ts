/**
 * The preload with Electron's renderer modules faked: what it exposes, and that `call` passes only the contract's
 * method names to the one IPC channel.
 */
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { methods } from '../../shared/api';

const fake = vi.hoisted(() => {
  const listeners = new Map<string, Set<(event: unknown, ...args: unknown[]) => void>>();
  return {
    exposed: new Map<string, unknown>(),
    invoke: vi.fn(async (_channel: string, method: string, _params: unknown) => ({ ok: true, value: { echoed: method } })),
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
  call(method: string, params?: unknown): Promise<{ ok: boolean; error?: string; value?: unknown }>;
  onImportProgress(cb: (p: unknown) => void): () => void;
  pathForFile(file: unknown): string;
};
let bridge: Bridge;

beforeAll(async () => {
  await import('../../electron/main/preload');
  bridge = fake.exposed.get('runlens') as Bridge;
});

describe('preload bridge', () => {
  it('exposes exactly window.runlens with call, onImportProgress and pathForFile', () => {
    expect([...fake.exposed.keys()]).toEqual(['runlens']);
    expect(Object.keys(bridge).sort()).toEqual(['call', 'onImportProgress', 'pathForFile']);
  });

  it('sends every contract method over runlens:call', async () => {
    const names = Object.keys(methods);
    expect(names.length).toBeGreaterThan(5);
    for (const m of names) {
      fake.invoke.mockClear();
      const env = await bridge.call(m, { x: 1 });
      expect(env).toEqual({ ok: true, value: { echoed: m } });
      expect(fake.invoke).toHaveBeenCalledExactlyOnceWith('runlens:call', m, { x: 1 });
    }
    fake.invoke.mockClear();
    await bridge.call('case.info');
    expect(fake.invoke).toHaveBeenCalledWith('runlens:call', 'case.info', {});
  });

  it('refuses anything else without touching IPC', async () => {
    fake.invoke.mockClear();
    for (const m of ['fs.readFile', 'constructor', '__proto__', 'toString', 'hasOwnProperty', 'case.info ', 'CASE.INFO', '', 'runlens:call']) {
      const env = await bridge.call(m, {});
      expect(env.ok, m).toBe(false);
      expect(env.error).toMatch(/^unknown method/);
    }
    expect(await bridge.call(42 as unknown as string)).toMatchObject({ ok: false });
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

  it('maps a File to its path through webUtils', () => {
    expect(bridge.pathForFile({ name: 'bundle.zip' })).toBe('/cases/bundle.zip');
    expect(fake.getPathForFile).toHaveBeenCalledOnce();
  });
});
