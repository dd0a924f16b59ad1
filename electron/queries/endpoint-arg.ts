/**
 * Endpoints as the queries see them (normalization is shared/endpoint.ts's): `endpointOf` rebuilds a call's
 * endpoint when the analysis has not stored one; `parseEndpointArg` reads what a user types after `--endpoint`
 * (`domain`, `ip`, `host:port`, `[v6]:port`, bare v6) where a missing port means every port.
 */
import { normalizeEndpoint, normalizeHost, parseHostPort } from '../../shared/endpoint';

export interface EndpointArg {
  /** Normalized host (lower case, no trailing dot, IPv6 canonical without brackets). */
  host: string;
  /** Port when given, else null (= every port). */
  port: number | null;
  /** Host as it appears in an endpoint string (IPv6 bracketed). */
  hostInEndpoint: string;
}

export function endpointOf(domain: string | null, ip: string | null, port: number): string {
  return normalizeEndpoint(domain || ip || '', port);
}

/** Parses a user's endpoint; returns an error message for anything that is not one. */
export function parseEndpointArg(input: string): EndpointArg | { error: string } {
  if (input.length > 300) return { error: 'endpoint is too long' };
  const hp = parseHostPort(input, -1);
  if (!hp || /[\\@?#*]/.test(hp.host)) return { error: `not a domain or IP[:port]: ${input}` };
  const host = normalizeHost(hp.host);
  return { host, port: hp.port < 0 ? null : hp.port, hostInEndpoint: host.includes(':') ? `[${host}]` : host };
}
