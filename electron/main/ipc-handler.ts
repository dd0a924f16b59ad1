/**
 * The main side of `runlens:call`: the sender must be the app's own top frame (`runlens://app/…`), the method must
 * be in the contract, and whatever goes wrong comes back as `{ok: false, error}` — never a thrown stack.
 */
import type { Envelope } from '../../shared/api';
import { isAppUrl } from './app-url';
import { CALL_CHANNEL, isAllowedMethod } from './channels';

/** Routes one validated call (to the open case's API, or to the import flow). */
export type CallRouter = (method: string, params: unknown) => Promise<Envelope<unknown>>;

export interface SenderEvent {
  senderFrame: { url: string; parent: unknown } | null;
}

export function senderRefusal(event: SenderEvent): string | null {
  const frame = event.senderFrame;
  if (!frame) return 'refused: the calling frame is gone';
  if (frame.parent) return 'refused: calls are accepted from the top frame only';
  if (!isAppUrl(frame.url)) return `refused: call from outside the app (${frame.url || 'no URL'})`;
  return null;
}

export async function handleCall(route: CallRouter, event: SenderEvent, method: unknown, params: unknown): Promise<Envelope<unknown>> {
  const refusal = senderRefusal(event);
  if (refusal) return { ok: false, error: refusal };
  if (!isAllowedMethod(method)) return { ok: false, error: `unknown method: ${String(method)}` };
  try {
    return await route(method, params ?? {});
  } catch (e) {
    return { ok: false, error: e instanceof Error ? e.message : String(e) };
  }
}

export interface IpcMainLike {
  handle(channel: string, listener: (event: SenderEvent, method: unknown, params: unknown) => unknown): void;
  removeHandler(channel: string): void;
}

export function registerCallHandler(ipcMain: IpcMainLike, route: CallRouter): () => void {
  ipcMain.handle(CALL_CHANNEL, (event: SenderEvent, method: unknown, params: unknown) => handleCall(route, event, method, params));
  return () => ipcMain.removeHandler(CALL_CHANNEL);
}
