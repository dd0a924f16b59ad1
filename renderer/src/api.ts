/**
 * The renderer's clients of the API contract, over whichever transport `pickTransport` chose. The page's case comes
 * from its URL (`?case=<id>`, with the selection in the hash): `api` is the client of that case, so every pane's call
 * names it; `appApi` holds the case-less methods (cases list, open, import jobs). `bindCase` (state/case.ts) points
 * `api` at another case when this page opens one; nothing else can change a page's case.
 */
import { createAppClient, createClient, type Client } from '../../shared/api';
import { pickTransport } from './transport';

export const transport = pickTransport();
export const appApi = createAppClient(transport.call);

/** The case named by a page URL's query, or null (the start page). */
export function caseFromSearch(search: string): string | null {
  const id = new URLSearchParams(search).get('case');
  return id && /^[0-9a-f]{24}$/.test(id) ? id : null;
}

let boundCase: string | null = caseFromSearch(location.search);

/**
 * Cases this page read while their import was still running (an answer "still importing …", or a partial
 * `case.info`): when such a case's import completes, its panes are read again (state/case-import.ts).
 */
export const readWhilePartial = new Set<string>();
const caseCall: typeof transport.call = async (call) => {
  const env = await transport.call(call);
  if (!env.ok && call.case && env.error.startsWith('still importing')) readWhilePartial.add(call.case);
  return env;
};
let client: Client = createClient(caseCall, boundCase ?? '');

/** The case this page shows (null: the start page). */
export const currentCaseId = (): string | null => boundCase;

/** Point `api` at `id` (only state/case.ts calls this, together with the URL). */
export function bindCase(id: string | null): void {
  boundCase = id;
  client = createClient(caseCall, id ?? '');
}

/** The client of this page's case. */
export const api: Client = new Proxy({} as Client, {
  get: (_t, method) => (client as unknown as Record<string | symbol, unknown>)[method],
});

/**
 * Another object that is the client of this page's case: panes that refetch when their client changes (the
 * timeline, the process tree) get a new one each time the case must be read again (state/case-import.ts: one per
 * `version` of the case's data).
 */
export function freshClient(_version: number): Client {
  return new Proxy({} as Client, {
    get: (_t, method) => (client as unknown as Record<string | symbol, unknown>)[method],
  });
}
