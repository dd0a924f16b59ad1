/**
 * The API contract's client side, without its schemas: what the renderer needs at run time to call the API
 * (createClient, createAppClient, the envelope and call types, ApiError, the note verdicts). Its own module so the
 * page's bundle does not load zod and build every method's schema before its first screen (shared/api.ts, which
 * re-exports all of this, is the contract; benchmark 7).
 */
import type { AppClient, Client } from './api';

export type Envelope<T> = { ok: true; value: T } | { ok: false; error: string };

/** Validate params at a boundary; throws ApiError with a readable message. */
export class ApiError extends Error {}

/** One call as every transport moves it: the case it is about (null for a case-less method), method, params. */
export interface Call {
  case: string | null;
  method: string;
  params: unknown;
}

/** A transport moves one call and returns its envelope. IPC (preload) and HTTP (serve) each provide one. */
export type Transport = (call: Call) => Promise<Envelope<unknown>>;

export const noteVerdicts = ['malicious', 'suspicious', 'benign', 'needs-review'] as const;
export type NoteVerdict = (typeof noteVerdicts)[number];

function proxy<C extends object>(transport: Transport, caseId: string | null): C {
  return new Proxy({} as C, {
    get(_t, method) {
      if (typeof method !== 'string') return undefined;
      return async (params: unknown) => {
        const env = await transport({ case: caseId, method, params: params ?? {} });
        if (!env.ok) throw new ApiError(env.error);
        return env.value;
      };
    },
  });
}

/** The client of one case: every call names `caseId`. */
export function createClient(transport: Transport, caseId: string): Client {
  return proxy<Client>(transport, caseId);
}
export function createAppClient(transport: Transport): AppClient {
  return proxy<AppClient>(transport, null);
}
