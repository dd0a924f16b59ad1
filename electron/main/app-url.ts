/**
 * The app's own origin. The renderer is served from `runlens://app/…` (a privileged, standard, secure custom scheme),
 * never from `file://` or the network, so the main process can tell the app's frames from anything else by URL.
 */
export const APP_SCHEME = 'runlens';
export const APP_HOST = 'app';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/** True only for `runlens://app/…` URLs (exact scheme and host, no credentials, no port). */
export function isAppUrl(url: unknown): boolean {
  if (typeof url !== 'string') return false;
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  return u.protocol === `${APP_SCHEME}:` && u.hostname === APP_HOST && u.port === '' && u.username === '' && u.password === '';
}

/**
 * Requests the app's session lets through: its own origin, and the in-memory URL kinds a page makes for itself.
 * Everything else (http, https, ws, file, ftp, …) is cancelled: the app shows no remote content.
 */
export function isAllowedRequestUrl(url: string): boolean {
  if (isAppUrl(url)) return true;
  return url.startsWith('data:') || url.startsWith('blob:runlens://app/') || url.startsWith('devtools://');
}

/** The case a window's URL names (`?case=<id>`), or null (the start page). */
export function caseFromUrl(url: string): string | null {
  try {
    const id = new URL(url).searchParams.get('case');
    return id && /^[0-9a-f]{24}$/.test(id) ? id : null;
  } catch {
    return null;
  }
}
