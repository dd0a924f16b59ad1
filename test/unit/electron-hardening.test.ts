import { describe, expect, it, vi } from 'vitest';
import { isAllowedRequestUrl, isAppUrl } from '../../electron/main/app-url';
import { hardenWebContents, lockDownSession, type HardenableContents, type LockableSession } from '../../electron/main/hardening';

/** A web contents fake that records listeners the way Electron's EventEmitter would. */
function fakeContents() {
  const listeners = new Map<string, ((...a: unknown[]) => void)[]>();
  let openHandler: ((d: { url: string }) => { action: string }) | null = null;
  const contents = {
    on(name: string, fn: (...a: unknown[]) => void) {
      listeners.set(name, [...(listeners.get(name) ?? []), fn]);
      return contents;
    },
    setWindowOpenHandler(fn: (d: { url: string }) => { action: string }) {
      openHandler = fn;
    },
  };
  const emit = (name: string, ...args: unknown[]) => {
    const fns = listeners.get(name) ?? [];
    for (const fn of fns) fn(...args);
    return fns.length;
  };
  return { contents: contents as unknown as HardenableContents, emit, open: (url: string) => openHandler!({ url }) };
}

function preventable(url?: string) {
  return { url, preventDefault: vi.fn() };
}

describe('app URLs', () => {
  it('accepts only runlens://app/', () => {
    expect(isAppUrl('runlens://app/index.html')).toBe(true);
    expect(isAppUrl('runlens://app/')).toBe(true);
    for (const u of ['https://app/', 'runlens://evil/index.html', 'runlens://app.evil.example/', 'runlens://user@app/', 'runlens://app:8080/', 'file:///app/index.html', 'http://127.0.0.1/', '', 'not a url', 'RUNLENS://APP/']) {
      expect(isAppUrl(u), u).toBe(false);
    }
    expect(isAppUrl(42)).toBe(false);
    expect(isAppUrl(undefined)).toBe(false);
  });

  it('lets through no remote request', () => {
    expect(isAllowedRequestUrl('runlens://app/assets/index.js')).toBe(true);
    expect(isAllowedRequestUrl('data:image/png;base64,AAAA')).toBe(true);
    for (const u of ['https://github.com/', 'http://198.51.100.1/x', 'ws://127.0.0.1:1234/', 'file:///etc/passwd', 'ftp://files.example/', 'runlens://other/']) {
      expect(isAllowedRequestUrl(u), u).toBe(false);
    }
  });
});

describe('web contents hardening', () => {
  it('denies every navigation, including to the app itself and external links', () => {
    const blocked: string[] = [];
    const f = fakeContents();
    hardenWebContents(f.contents, (what, url) => blocked.push(`${what} ${url}`));
    for (const url of ['https://github.com/', 'file:///etc/passwd', 'runlens://app/other.html', 'javascript:alert(1)']) {
      const e = preventable(url);
      expect(f.emit('will-navigate', e, url)).toBe(1);
      expect(e.preventDefault).toHaveBeenCalledTimes(1);
    }
    const frameNav = preventable('https://example.com/');
    f.emit('will-frame-navigate', frameNav);
    expect(frameNav.preventDefault).toHaveBeenCalled();
    expect(blocked).toContain('navigation https://github.com/');
    expect(blocked).toContain('navigation https://example.com/');
  });

  it('denies window.open and target=_blank, and never opens them elsewhere', () => {
    const f = fakeContents();
    hardenWebContents(f.contents);
    expect(f.open('https://github.com/acme/web')).toEqual({ action: 'deny' });
    expect(f.open('runlens://app/index.html')).toEqual({ action: 'deny' });
  });

  it('refuses webviews and redirects out of the app', () => {
    const f = fakeContents();
    hardenWebContents(f.contents);
    const wv = preventable();
    f.emit('will-attach-webview', wv, {}, {});
    expect(wv.preventDefault).toHaveBeenCalled();
    const out = preventable('https://evil.example/');
    f.emit('will-redirect', out, 'https://evil.example/');
    expect(out.preventDefault).toHaveBeenCalled();
    const inside = preventable('runlens://app/index.html');
    f.emit('will-redirect', inside, 'runlens://app/index.html');
    expect(inside.preventDefault).not.toHaveBeenCalled();
  });
});

describe('session lock-down', () => {
  function fakeSession() {
    const s = {
      request: null as null | ((wc: unknown, permission: string, cb: (granted: boolean) => void, details: unknown) => void),
      check: null as null | ((...a: unknown[]) => boolean),
      device: null as null | ((...a: unknown[]) => boolean),
      before: null as null | ((details: { url: string }, cb: (r: { cancel: boolean }) => void) => void),
    };
    const session = {
      setPermissionRequestHandler: (fn: typeof s.request) => (s.request = fn),
      setPermissionCheckHandler: (fn: typeof s.check) => (s.check = fn),
      setDevicePermissionHandler: (fn: typeof s.device) => (s.device = fn),
      webRequest: { onBeforeRequest: (fn: typeof s.before) => (s.before = fn) },
    };
    return { s, session: session as unknown as LockableSession };
  }

  it('denies every permission request and check', () => {
    const { s, session } = fakeSession();
    lockDownSession(session);
    for (const p of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal', 'fileSystem', 'hid']) {
      const cb = vi.fn();
      s.request!({}, p, cb, {});
      expect(cb, p).toHaveBeenCalledWith(false);
      expect(s.check!({}, p, 'runlens://app', {})).toBe(false);
    }
    expect(s.device!({ deviceType: 'usb' })).toBe(false);
  });

  it('cancels remote requests and lets the app origin through', () => {
    const { s, session } = fakeSession();
    const blocked: string[] = [];
    lockDownSession(session, (what, url) => blocked.push(`${what} ${url}`));
    const decide = (url: string) => {
      let r: { cancel: boolean } | null = null;
      s.before!({ url }, (x) => (r = x));
      return r;
    };
    expect(decide('https://github.com/')).toEqual({ cancel: true });
    expect(decide('http://203.0.113.9/beacon')).toEqual({ cancel: true });
    expect(decide('runlens://app/assets/app.js')).toEqual({ cancel: false });
    expect(blocked).toEqual(['request https://github.com/', 'request http://203.0.113.9/beacon']);
  });
});
