/**
 * The renderer's clients of the API contract, over whichever transport `pickTransport` chose. The page's case comes
 * from its URL (`?case=<id>`, with the selection in the hash): `api` is the client of that case, so every pane's call
 * names it; `appApi` holds the case-less methods (cases list, open, import jobs). `bindCase` (state/case.ts) points
 * `api` at another case when this page opens one; nothing else can change a page's case.
 */
import type { Client, MethodName, Params, Results } from '../../shared/api';
// the client alone (no schemas: shared/api-client.ts)
import { createAppClient, createClient, type Call, type Envelope } from '../../shared/api-client';
import { peekEarlyAnswer, pickTransport } from './transport';

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

/**
 * First screen first: a page opened on a case asks for what its first screen shows (the log's outline and first
 * page, the case, its steps) as soon as this module runs, before React has rendered the panes that ask for it; the
 * first identical call of a pane takes that answer. Unclaimed answers are dropped after EARLY_MS.
 */
const EARLY: [string, unknown][] = [
  ['log.outline', {}],
  ['log.window', { offset: 0, limit: 500 }], // the log pane's first page (panes/BuildLog.tsx, page size 500)
  ['case.info', {}],
  ['steps.list', {}],
];
const EARLY_MS = 10_000;
const earlyKey = (c: Call) => `${c.case}\u0000${c.method}\u0000${JSON.stringify(c.params ?? {})}`;
const early = new Map<string, Promise<Envelope<unknown>>>();
// Over HTTP, public/first-screen.js asked already (before this bundle was parsed); the transport answers from it.
if (boundCase && !window.__runlensFirstScreen) {
  for (const [method, params] of EARLY) {
    const call: Call = { case: boundCase, method, params };
    early.set(earlyKey(call), transport.call(call));
  }
  setTimeout(() => early.clear(), EARLY_MS);
}

const caseCall: typeof transport.call = async (call) => {
  const k = early.size ? earlyKey(call) : '';
  const asked = early.get(k);
  early.delete(k);
  const env = await (asked ?? transport.call(call));
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

/**
 * The first screen's answer to `method(params)` about this page's case when it is already in (public/first-screen.js
 * asked before the bundle ran), else null; it stays there for the call that takes it, unless `take` (no call will).
 * Only what answered ok.
 */
export function peekFirstScreen<M extends MethodName>(method: M, params: Params<M>, take = false): Results[M] | null {
  if (!boundCase) return null;
  const env = peekEarlyAnswer({ case: boundCase, method, params }, take);
  return env?.ok ? (env.value as Results[M]) : null;
}
