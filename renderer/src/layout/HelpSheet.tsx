/**
 * The `?` sheet: every keyboard shortcut and the filter language on one page; and Settings (how times are shown,
 * the theme follows the system). Both are modal dialogs: Esc closes them and gives focus back.
 */
import { useEffect, useRef } from 'react';
import { createStore, useStore } from '../state/store';
import { appStore, useApp } from '../state/selection';
import { TIME_MODE_LABEL, type TimeMode } from '../format';

export const dialogStore = createStore<{ open: 'help' | 'settings' | null }>({ open: null });
export const openDialog = (d: 'help' | 'settings' | null) => dialogStore.set({ open: d });

const SHORTCUTS: [string, string][] = [
  ['?', 'this sheet'],
  ['/', 'filter the calls'],
  ['j / k', 'next / previous call'],
  ['Enter (in a filter box)', 'select the next hit; Shift+Enter: the previous one'],
  ['f', 'findings only'],
  ['t', 'time: UTC → job-relative → local'],
  ['1 … 5', 'side tabs: tree, list, DNS, files, SQL'],
  ['m', 'maximise the pane with the focus (again: restore)'],
  ['Esc', 'close a dialog or menu; clear the selection'],
  ['Shift+drag on the timeline', 'pick a time range (filters calls and log)'],
  ['Arrows, + / −, 0 (timeline)', 'pan, zoom, the whole job'],
  ['Arrows, Enter (tree)', 'move, expand / collapse, select'],
  ['Right-click a row', 'filter by this value, this process’s calls, copy…'],
  ['Shift+F10 or the Menu key', 'the same menu on the focused row, tree item or log line'],
];

const FILTERS: [string, string][] = [
  ['exfil', 'any text of the call (domain, IP, process, path, pid) or of the log line'],
  ['domain:exfil.example', 'domain contains; domain:=host exactly'],
  ['ip:203.0.113.0/24', 'an address or a CIDR block (IPv4 / IPv6)'],
  ['port:443  port:1000-2000  port:>1024', 'numbers, ranges, comparisons (also pid:, step:)'],
  ['process:curl  status:blocked  status:200  verdict:outside  method:POST', 'the other fields'],
  ['-domain:github  NOT x  !x', 'negation'],
  ['a b   a AND b   a OR b   ( … )', 'AND is implicit and binds tighter than OR'],
  ['"a phrase"   /regex/i   domain:/^beacon\\./', 'phrases and regular expressions'],
];

function Dialog({ title, onClose, children }: { title: string; onClose(): void; children: React.ReactNode }) {
  const box = useRef<HTMLDivElement>(null);
  const back = useRef<HTMLElement | null>(null);
  useEffect(() => {
    back.current = document.activeElement as HTMLElement | null;
    box.current?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        e.stopImmediatePropagation();
        onClose();
      }
    };
    window.addEventListener('keydown', onKey, true);
    return () => {
      window.removeEventListener('keydown', onKey, true);
      back.current?.focus?.({ preventScroll: true });
    };
  }, [onClose]);
  return (
    <div className="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div ref={box} className="modal" role="dialog" aria-modal="true" aria-label={title} tabIndex={-1}>
        <div className="popover-head">
          <h2>{title}</h2>
          <button type="button" className="icon" aria-label="Close" title="Close (Esc)" onClick={onClose}>
            ✕
          </button>
        </div>
        {children}
      </div>
    </div>
  );
}

export function Dialogs() {
  const open = useStore(dialogStore, (s) => s.open);
  const mode = useApp((s) => s.logTimes);
  const close = () => openDialog(null);
  if (open === 'help')
    return (
      <Dialog title="Keyboard shortcuts and filters" onClose={close}>
        <div className="help-grid">
          <section aria-label="Shortcuts">
            <h3>Keys</h3>
            <dl className="fields">
              {SHORTCUTS.map(([k, v]) => (
                <div key={k} className="help-row">
                  <dt>
                    <kbd>{k}</kbd>
                  </dt>
                  <dd>{v}</dd>
                </div>
              ))}
            </dl>
          </section>
          <section aria-label="Filter language">
            <h3>Filters (calls and log)</h3>
            <dl className="fields">
              {FILTERS.map(([k, v]) => (
                <div key={k} className="help-row">
                  <dt>
                    <code>{k}</code>
                  </dt>
                  <dd>{v}</dd>
                </div>
              ))}
            </dl>
          </section>
        </div>
      </Dialog>
    );
  if (open === 'settings')
    return (
      <Dialog title="Settings" onClose={close}>
        <fieldset className="settings-group">
          <legend>Show times as</legend>
          {(['absolute', 'local', 'relative'] as TimeMode[]).map((m) => (
            <label key={m} className="toggle">
              <input type="radio" name="time-mode" checked={mode === m} onChange={() => appStore.set({ logTimes: m })} />
              {TIME_MODE_LABEL[m]}
              <span className="dim">
                {m === 'absolute' ? ' — UTC, as recorded' : m === 'local' ? ' — this computer’s time zone' : ' — +m:ss from the job’s start'}
              </span>
            </label>
          ))}
        </fieldset>
        <p className="dim">The theme follows the system’s light or dark setting.</p>
      </Dialog>
    );
  return null;
}
