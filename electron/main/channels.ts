/** The IPC channel names and the method allow-list shared by the preload bridge and the main-side handler. */
import { methods } from '../../shared/api';

/** The one request channel: `invoke(CALL_CHANNEL, method, params)` → Envelope. */
export const CALL_CHANNEL = 'runlens:call';
/** Main → renderer import progress events (the only other channel). */
export const IMPORT_PROGRESS_CHANNEL = 'runlens:import-progress';

/** Exactly the contract's method names (`Object.keys(methods)` of shared/api.ts). */
export const ALLOWED_METHODS: ReadonlySet<string> = new Set(Object.keys(methods));

export function isAllowedMethod(method: unknown): method is string {
  return typeof method === 'string' && ALLOWED_METHODS.has(method);
}
