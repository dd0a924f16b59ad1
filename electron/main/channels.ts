/**
 * The IPC channel names shared by the preload bridge and the main-side handlers, and the shape check the preload
 * makes before anything crosses. The preload bundles no schema library: main checks every call against the
 * contract (shared/api.ts `parseCall`) again, and is the boundary that counts.
 */

/** The one request channel: `invoke(CALL_CHANNEL, { case, method, params })` → Envelope. */
export const CALL_CHANNEL = 'runlens:call';
/** Files the user picked or dropped: `invoke(STAGE_CHANNEL, paths)` → Envelope<{ uploads }> (ids for import.start). */
export const STAGE_CHANNEL = 'runlens:stage';
/** Main → renderer job progress events (ImportStatus). */
export const IMPORT_PROGRESS_CHANNEL = 'runlens:import-progress';

/** A method name as the contract spells them (`area.verb`); anything else is refused before IPC. */
export function isMethodShape(method: unknown): method is string {
  return typeof method === 'string' && /^[a-z]+\.[a-zA-Z]+$/.test(method) && method.length <= 64;
}
/** A case id (24 hex digits) or null for a case-less method. */
export function isCaseShape(c: unknown): c is string | null {
  return c === null || (typeof c === 'string' && /^[0-9a-f]{24}$/.test(c));
}
