/**
 * The main side of `runlens:call` and `runlens:stage`: the sender must be the app's own top frame
 * (`runlens://app/…`), a call must be a call of the contract, and whatever goes wrong comes back as
 * `{ok: false, error}` — never a thrown stack.
 */
import type { Call, Envelope } from '../../shared/api';
import { isAppMethod, isCaseMethod } from '../../shared/api';
import { isAppUrl } from './app-url';
import { CALL_CHANNEL, STAGE_CHANNEL } from './channels';

/** Routes one checked call (to the case owner). */
export type CallRouter = (call: Call, sender: SenderEvent) => Promise<Envelope<unknown>>;
/** Stages paths the preload took from picked or dropped files; answers their ids. */
export type Stager = (paths: string[], sender: SenderEvent) => Envelope<{ uploads: string[] }>;

export interface SenderEvent {
  senderFrame: { url: string; parent: unknown } | null;
  sender?: unknown;
}

export function senderRefusal(event: SenderEvent): string | null {
  const frame = event.senderFrame;
  if (!frame) return 'refused: the calling frame is gone';
  if (frame.parent) return 'refused: calls are accepted from the top frame only';
  if (!isAppUrl(frame.url)) return `refused: call from outside the app (${frame.url || 'no URL'})`;
  return null;
}

export async function handleCall(route: CallRouter, event: SenderEvent, call: unknown): Promise<Envelope<unknown>> {
  const refusal = senderRefusal(event);
  if (refusal) return { ok: false, error: refusal };
  const c = (call && typeof call === 'object' ? call : {}) as Partial<Call>;
  if (!isCaseMethod(c.method) && !isAppMethod(c.method)) return { ok: false, error: `unknown method: ${String(c.method)}` };
  try {
    return await route({ case: c.case ?? null, method: c.method, params: c.params ?? {} }, event);
  } catch (e) {
    return { ok: false, error: e instanceof Error ? e.message : String(e) };
  }
}

export function handleStage(stage: Stager, event: SenderEvent, paths: unknown): Envelope<{ uploads: string[] }> {
  const refusal = senderRefusal(event);
  if (refusal) return { ok: false, error: refusal };
  if (!Array.isArray(paths) || paths.length === 0 || paths.length > 1000 || !paths.every((p) => typeof p === 'string' && p !== '' && p.length <= 4096)) {
    return { ok: false, error: 'stage: give the paths of picked or dropped files' };
  }
  try {
    return stage(paths as string[], event);
  } catch (e) {
    return { ok: false, error: e instanceof Error ? e.message : String(e) };
  }
}

export interface IpcMainLike {
  handle(channel: string, listener: (event: SenderEvent, ...args: unknown[]) => unknown): void;
  removeHandler(channel: string): void;
}

export function registerCallHandler(ipcMain: IpcMainLike, route: CallRouter, stage?: Stager): () => void {
  ipcMain.handle(CALL_CHANNEL, (event: SenderEvent, call: unknown) => handleCall(route, event, call));
  if (stage) ipcMain.handle(STAGE_CHANNEL, (event: SenderEvent, paths: unknown) => handleStage(stage, event, paths));
  return () => {
    ipcMain.removeHandler(CALL_CHANNEL);
    if (stage) ipcMain.removeHandler(STAGE_CHANNEL);
  };
}
