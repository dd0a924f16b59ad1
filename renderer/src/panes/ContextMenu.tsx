/**
 * One context menu for the whole app (right-click or the context-menu key on a row): "filter by this value",
 * "show this process's calls", copy the value, the row, the command line, the chain or the hashes. Panes call
 * `openMenu(event, items)`; App renders `<ContextMenuHost />` once. A real menu: arrow keys, Enter, Esc.
 */
import { useEffect, useRef } from 'react';
import { createStore, useStore } from '../state/store';

export interface MenuItem {
  label: string;
  run(): void | Promise<void>;
}
interface MenuState {
  x: number;
  y: number;
  items: MenuItem[];
  returnFocus: HTMLElement | null;
}
const menuStore = createStore<{ menu: MenuState | null }>({ menu: null });

export function openMenu(e: { clientX: number; clientY: number; preventDefault(): void }, items: MenuItem[]): void {
  e.preventDefault();
  const el = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  menuStore.set({ menu: { x: e.clientX, y: e.clientY, items, returnFocus: el } });
}

export function closeMenu(): void {
  const m = menuStore.get().menu;
  menuStore.set({ menu: null });
  m?.returnFocus?.focus({ preventScroll: true });
}

/** Copy text to the clipboard (a secure context: the app's own page). */
export async function copyText(text: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    /* a denied clipboard: nothing else to do in a page */
  }
}

export function ContextMenuHost() {
  const menu = useStore(menuStore, (s) => s.menu);
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!menu) return;
    box.current?.querySelector<HTMLElement>('[role="menuitem"]')?.focus();
    const away = (e: MouseEvent) => {
      if (!box.current?.contains(e.target as Node)) closeMenu();
    };
    window.addEventListener('mousedown', away, true);
    window.addEventListener('blur', closeMenu);
    return () => {
      window.removeEventListener('mousedown', away, true);
      window.removeEventListener('blur', closeMenu);
    };
  }, [menu]);
  if (!menu) return null;
  const onKey = (e: React.KeyboardEvent) => {
    const items = [...(box.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? [])];
    const i = items.indexOf(document.activeElement as HTMLElement);
    if (e.key === 'Escape' || e.key === 'Tab') {
      e.preventDefault();
      e.stopPropagation();
      closeMenu();
    } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      items[(i + (e.key === 'ArrowDown' ? 1 : -1) + items.length) % items.length]?.focus();
    }
  };
  const x = Math.min(menu.x, window.innerWidth - 260);
  const y = Math.min(menu.y, window.innerHeight - menu.items.length * 26 - 12);
  return (
    <div ref={box} className="context-menu" role="menu" aria-label="Actions" style={{ left: x, top: Math.max(4, y) }} onKeyDown={onKey}>
      {menu.items.map((it) => (
        <button
          key={it.label}
          type="button"
          role="menuitem"
          tabIndex={-1}
          onClick={() => {
            closeMenu();
            void it.run();
          }}
        >
          {it.label}
        </button>
      ))}
    </div>
  );
}

/** Quote a value for the filter language when it needs it. */
export function filterValue(v: string | number): string {
  const s = String(v);
  return /^[^\s()"|&!]+$/.test(s) && !s.startsWith('-') && !s.startsWith('/') ? s : `"${s.replace(/(["\\])/g, '\\$1')}"`;
}
