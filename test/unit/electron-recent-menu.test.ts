import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { buildMenuTemplate, type MenuActions, type MenuState } from '../../electron/main/app-menu';
import { addRecent, clearRecent, readRecent, RECENT_LIMIT, removeRecent } from '../../electron/api/recent-cases';

let dir: string;
let file: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'runlens-recent-'));
  file = path.join(dir, 'userData', 'recent-cases.json');
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('recent cases file', () => {
  it('keeps the newest first, once each, at most RECENT_LIMIT', () => {
    expect(readRecent(file)).toEqual([]);
    for (let i = 0; i < RECENT_LIMIT + 3; i++) addRecent(file, path.join(dir, `c${i}.runlens`), `Case ${i}`, new Date(Date.UTC(2026, 9, 14, 9, i)));
    addRecent(file, path.join(dir, 'c5.runlens'), 'Case 5 again');
    const list = readRecent(file);
    expect(list).toHaveLength(RECENT_LIMIT);
    expect(list[0]).toMatchObject({ path: path.join(dir, 'c5.runlens'), title: 'Case 5 again' });
    expect(list[1]).toMatchObject({ path: path.join(dir, `c${RECENT_LIMIT + 2}.runlens`), title: `Case ${RECENT_LIMIT + 2}`, opened_at: '2026-10-14T09:12:00.000Z' });
    expect(new Set(list.map((c) => c.path)).size).toBe(RECENT_LIMIT);
    expect(fs.readdirSync(path.dirname(file))).toEqual(['recent-cases.json']);
  });

  it('stores absolute paths and falls back to the file name as title', () => {
    const rel = path.relative(process.cwd(), path.join(dir, 'x.runlens'));
    addRecent(file, rel, '');
    expect(readRecent(file)).toEqual([expect.objectContaining({ path: path.join(dir, 'x.runlens'), title: 'x.runlens' })]);
  });

  it('reads a damaged file as an empty list and drops malformed entries', () => {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    for (const text of ['', '{', 'null', '[1,2]', '{"cases": "no"}', '\u0000\u0001binary']) {
      fs.writeFileSync(file, text);
      expect(readRecent(file), JSON.stringify(text)).toEqual([]);
    }
    fs.writeFileSync(file, JSON.stringify({ cases: [{ path: '/a.runlens', title: 'A', opened_at: 'x' }, { path: 7 }, null, { path: '', title: 'B', opened_at: 'y' }] }));
    expect(readRecent(file).map((c) => c.path)).toEqual(['/a.runlens']);
    addRecent(file, '/b.runlens', 'B');
    expect(readRecent(file).map((c) => c.path)).toEqual(['/b.runlens', '/a.runlens']);
  });

  it('removes one entry and clears all', () => {
    addRecent(file, '/a.runlens', 'A');
    addRecent(file, '/b.runlens', 'B');
    expect(removeRecent(file, '/a.runlens').map((c) => c.path)).toEqual(['/b.runlens']);
    clearRecent(file);
    expect(readRecent(file)).toEqual([]);
  });
});

describe('application menu', () => {
  const actions = (): MenuActions & Record<string, ReturnType<typeof vi.fn>> =>
    ({
      openBundleFiles: vi.fn(),
      newWindow: vi.fn(),
      openBundleFolder: vi.fn(),
      openCase: vi.fn(),
      clearRecent: vi.fn(),
      cancelImport: vi.fn(),
      closeCase: vi.fn(),
      revealCase: vi.fn(),
    }) as never;
  const state = (over: Partial<MenuState> = {}): MenuState => ({ platform: 'linux', recent: [], caseOpen: false, importing: false, devTools: false, ...over });
  const file = (t: ReturnType<typeof buildMenuTemplate>) => t.find((m) => m.label === 'File')!.submenu as Electron.MenuItemConstructorOptions[];
  const item = (t: ReturnType<typeof buildMenuTemplate>, label: string) => file(t).find((i) => i.label === label)!;

  it('has the File items, with Close/Reveal only while a case is open', () => {
    const a = actions();
    const closed = buildMenuTemplate(state(), a);
    expect(file(closed).filter((i) => i.label).map((i) => i.label)).toEqual(['New Window', 'Open Bundle…', 'Open Bundle Folder…', 'Open Recent', 'Cancel Import', 'Close Case', 'Reveal Case File']);
    expect(item(closed, 'New Window').accelerator).toBe('CmdOrCtrl+N');
    expect(item(closed, 'Open Bundle…').accelerator).toBe('CmdOrCtrl+O');
    expect(item(closed, 'Close Case').enabled).toBe(false);
    expect(item(closed, 'Reveal Case File').enabled).toBe(false);
    expect(item(closed, 'Cancel Import').enabled).toBe(false);
    expect((item(closed, 'Open Recent').submenu as Electron.MenuItemConstructorOptions[])[0]).toMatchObject({ label: 'No Recent Cases', enabled: false });
    const open = buildMenuTemplate(state({ caseOpen: true }), a);
    expect(item(open, 'Close Case').enabled).toBe(true);
    (item(open, 'Reveal Case File').click as () => void)();
    (item(open, 'Close Case').click as () => void)();
    (item(open, 'Open Bundle…').click as () => void)();
    (item(open, 'Open Bundle Folder…').click as () => void)();
    expect(a.revealCase).toHaveBeenCalledOnce();
    expect(a.closeCase).toHaveBeenCalledOnce();
    expect(a.openBundleFiles).toHaveBeenCalledOnce();
    expect(a.openBundleFolder).toHaveBeenCalledOnce();
  });

  it('lists recent cases and opens the one clicked', () => {
    const a = actions();
    const t = buildMenuTemplate(state({ recent: [{ path: '/cases/a.runlens', title: 'acme/web · CI · test', opened_at: '' }, { path: '/cases/b.runlens', title: 'b.runlens', opened_at: '' }] }), a);
    const sub = item(t, 'Open Recent').submenu as Electron.MenuItemConstructorOptions[];
    expect(sub.map((i) => i.label ?? i.type)).toEqual(['acme/web · CI · test — a.runlens', 'b.runlens', 'separator', 'Clear Recent']);
    (sub[1]!.click as () => void)();
    expect(a.openCase).toHaveBeenCalledWith('/cases/b.runlens');
    (sub[3]!.click as () => void)();
    expect(a.clearRecent).toHaveBeenCalledOnce();
  });

  it('blocks new opens during an import and offers Cancel Import', () => {
    const a = actions();
    const t = buildMenuTemplate(state({ importing: true }), a);
    expect(item(t, 'Open Bundle…').enabled).toBe(false);
    expect(item(t, 'Cancel Import').enabled).toBe(true);
    (item(t, 'Cancel Import').click as () => void)();
    expect(a.cancelImport).toHaveBeenCalledOnce();
  });

  it('has developer tools only in development and the app menu only on macOS', () => {
    const roles = (t: ReturnType<typeof buildMenuTemplate>) => JSON.stringify(t, (_k, v) => (typeof v === 'function' ? undefined : v));
    expect(roles(buildMenuTemplate(state(), actions()))).not.toContain('toggleDevTools');
    expect(roles(buildMenuTemplate(state({ devTools: true }), actions()))).toContain('toggleDevTools');
    const mac = buildMenuTemplate(state({ platform: 'darwin' }), actions());
    expect(mac[0]).toEqual({ role: 'appMenu' });
    expect(file(mac).some((i) => i.role === 'quit')).toBe(false);
    expect(file(buildMenuTemplate(state(), actions())).some((i) => i.role === 'quit')).toBe(true);
  });
});
