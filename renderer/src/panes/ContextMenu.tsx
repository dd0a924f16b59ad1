/**
 * One context menu for the whole app (right-click, or the context-menu key / Shift+F10 on a focused row, tree item
 * or log line — `menuTargetOf`): "filter by this value", "show this process's calls", copy the value, the row, the
 * command line, the chain or the hashes. Panes call `openMenu(event, items)`; App renders `<ContextMenuHost />`
 * once. A real menu: arrow keys, Home/End, Enter, Esc; focus returns where it was.
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

/**
 * What the context-menu key (or Shift+F10) is about: the focused element when it is a row, tree item or line itself;
 * inside a focused list (a scroller holding rows), its active, selected or cursor row, else the first row in view.
 * Null: no menu for this element (an input keeps the browser's own).
 */
export function menuTargetOf(focused: Element | null): HTMLElement | null {
  if (!(focused instanceof HTMLElement) || focused === document.body) return null;
  if (focused.matches('input, textarea, select, [contenteditable="true"]')) return null;
  const desc = focused.getAttribute('aria-activedescendant');
  if (desc) return document.getElementById(desc);
  if (focused.matches(ROWS)) return focused;
  if (!focused.matches('.scroller, [role="rowgroup"], [role="tree"], [role="grid"], .log-scroller')) return null;
  const rows = [...focused.querySelectorAll<HTMLElement>(ROWS)];
  const box = focused.getBoundingClientRect();
  const visible = (el: HTMLElement) => {
    const r = el.getBoundingClientRect();
    return r.bottom > box.top && r.top < box.bottom;
  };
  return (
    rows.find((r) => r.matches('.active') && visible(r)) ??
    rows.find((r) => r.matches('.selected, [aria-selected="true"]') && visible(r)) ??
    rows.find((r) => r.matches('.cursor') && visible(r)) ??
    rows.find(visible) ??
    null
  );
}
const ROWS = '[role="row"][data-row-id], [role="row"][data-call-id], [role="treeitem"], .log-line[data-line-id]';

/** The context-menu key and Shift+F10 open the same menu as a right-click, on the focused row, item or line. */
function onMenuKey(e: KeyboardEvent): void {
  if (!(e.key === 'ContextMenu' || (e.key === 'F10' && e.shiftKey && !e.ctrlKey && !e.altKey && !e.metaKey))) return;
  if (menuStore.get().menu) return;
  const target = menuTargetOf(document.activeElement);
  if (!target) return;
  e.preventDefault();
  const r = target.getBoundingClientRect();
  target.dispatchEvent(
    new MouseEvent('contextmenu', { bubbles: true, cancelable: true, clientX: r.left + Math.min(40, r.width / 2), clientY: r.top + r.height }),
  );
}

export function ContextMenuHost() {
  const menu = useStore(menuStore, (s) => s.menu);
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    window.addEventListener('keydown', onMenuKey);
    return () => window.removeEventListener('keydown', onMenuKey);
  }, []);
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
    } else if (e.key === 'Home' || e.key === 'End') {
      e.preventDefault();
      items[e.key === 'Home' ? 0 : items.length - 1]?.focus();
    }
    // the app's own shortcuts (j, k, m, 1-5…) do not act while the menu has the keys
    if (e.key !== 'Enter' && e.key !== ' ') e.stopPropagation();
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
