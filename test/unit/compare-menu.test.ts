/** File → Compare with Baseline…: present when the host offers it, enabled only with a case open, calls the action. */
import { describe, expect, it, vi } from 'vitest';
import type { MenuItemConstructorOptions } from 'electron';
import { buildMenuTemplate, type MenuActions, type MenuState } from '../../electron/main/app-menu';

const noop = () => {};
const base: Omit<MenuActions, 'compareWithBaseline'> = { newWindow: noop, openBundleFiles: noop, openBundleFolder: noop, openCase: noop, clearRecent: noop, cancelImport: noop, closeCase: noop, revealCase: noop };
const state = (caseOpen: boolean): MenuState => ({ platform: 'linux', recent: [], caseOpen, importing: false, devTools: false });

function item(t: MenuItemConstructorOptions[]): MenuItemConstructorOptions | undefined {
  const file = t.find((m) => m.label === 'File')!;
  return (file.submenu as MenuItemConstructorOptions[]).find((m) => m.label === 'Compare with Baseline…');
}

describe('Compare with Baseline… menu item', () => {
  it('calls the action, enabled only with a case open; absent when the host does not offer it', () => {
    const pick = vi.fn();
    const on = item(buildMenuTemplate(state(true), { ...base, compareWithBaseline: pick }))!;
    expect(on.enabled).toBe(true);
    (on.click as () => void)();
    expect(pick).toHaveBeenCalledOnce();
    expect(item(buildMenuTemplate(state(false), { ...base, compareWithBaseline: pick }))!.enabled).toBe(false);
    expect(item(buildMenuTemplate(state(true), base))).toBeUndefined();
  });
});
