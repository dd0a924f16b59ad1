/** The IPC channel names and the method allow-list shared by the preload bridge and the main-side handler. */
import { METHOD_NAMES } from '../../shared/api-methods';

/** The one request channel: `invoke(CALL_CHANNEL, method, params)` → Envelope. */
export const CALL_CHANNEL = 'runlens:call';
/** Main → renderer import progress events (the only other channel). */
export const IMPORT_PROGRESS_CHANNEL = 'runlens:import-progress';

/** Exactly the contract's method names (shared/api-methods.ts, checked against shared/api.ts's table). */
export const ALLOWED_METHODS: ReadonlySet<string> = new Set(METHOD_NAMES);

export function isAllowedMethod(method: unknown): method is string {
  return typeof method === 'string' && ALLOWED_METHODS.has(method);
}
