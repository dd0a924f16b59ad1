/**
 * Hardening every web contents and the session: no navigation away from the loaded page, no new windows, no
 * <webview>, no permissions (camera, notifications, clipboard-read, …), no requests outside `runlens://app/`.
 * Written against the small slices of Electron's types they use, so tests can drive them with fakes.
 */
import type { Session, WebContents } from 'electron';
import { isAllowedRequestUrl, isAppUrl } from './app-url';

export type Blocked = (what: string, url: string) => void;

type Preventable = { preventDefault(): void; url?: string };
export type HardenableContents = Pick<WebContents, 'on' | 'setWindowOpenHandler'>;

/** Navigation is denied outright: the app is one page that never leaves `runlens://app/`. */
export function denyNavigation(event: Preventable, url: string | undefined, onBlocked?: Blocked): void {
  event.preventDefault();
  onBlocked?.('navigation', url ?? event.url ?? '');
}

export function hardenWebContents(contents: HardenableContents, onBlocked?: Blocked): void {
  // Electron's overloads per event name do not fit one generic registration: register through a plain signature.
  const on = contents.on.bind(contents) as unknown as (name: string, fn: (...args: never[]) => void) => void;
  on('will-navigate', (e: Preventable, url?: string) => denyNavigation(e, url, onBlocked));
  on('will-frame-navigate', (e: Preventable) => denyNavigation(e, e.url, onBlocked));
  // A redirect may only stay inside the app (a server redirect cannot happen on our protocol; this is belt and braces).
  on('will-redirect', (e: Preventable, url?: string) => {
    const target = url ?? e.url ?? '';
    if (!isAppUrl(target)) denyNavigation(e, target, onBlocked);
  });
  on('will-attach-webview', (e: Preventable) => {
    e.preventDefault();
    onBlocked?.('webview', '');
  });
  // External links open nowhere: not in a new window, not in the system browser.
  contents.setWindowOpenHandler((details) => {
    onBlocked?.('window.open', details.url);
    return { action: 'deny' };
  });
}

export type LockableSession = Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler'> & {
  setDevicePermissionHandler?: Session['setDevicePermissionHandler'];
  webRequest: Pick<Session['webRequest'], 'onBeforeRequest'>;
};

export function lockDownSession(session: LockableSession, onBlocked?: Blocked): void {
  session.setPermissionRequestHandler((_contents, permission, callback) => {
    onBlocked?.(`permission:${permission}`, '');
    callback(false);
  });
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler?.(() => false);
  session.webRequest.onBeforeRequest((details, callback) => {
    const allowed = isAllowedRequestUrl(details.url);
    if (!allowed) onBlocked?.('request', details.url);
    callback({ cancel: !allowed });
  });
}
