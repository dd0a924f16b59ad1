/**
 * HTTPS exfiltration: calls that send data (POST, PUT, PATCH) to an endpoint outside the egress allow-list and
 * were not blocked. One finding per endpoint, its calls as evidence. Needs a policy (without one nothing is
 * "outside") and an HTTP method (producers that inspect TLS give one).
 * Near misses that do NOT match: a GET to the same endpoint, a POST to an allowed endpoint, a blocked POST.
 */
import type { CallView, DetectionRule, Hit } from './types';

const SENDS = new Set(['POST', 'PUT', 'PATCH']);

export const httpsExfiltration: DetectionRule = {
  id: 'https-exfiltration',
  kind: 'https-exfiltration',
  severity: 'high',
  describe: 'POST/PUT/PATCH to an endpoint outside the allow-list (not blocked)',
  run(input) {
    if (!input.policy) return [];
    const byEndpoint = new Map<string, CallView[]>();
    for (const c of input.outsideCalls()) {
      if (c.verdict !== 'outside-policy' || !c.endpoint || !SENDS.has((c.httpMethod ?? '').toUpperCase())) continue;
      const g = byEndpoint.get(c.endpoint);
      if (g) g.push(c);
      else byEndpoint.set(c.endpoint, [c]);
    }
    const hits: Hit[] = [];
    for (const [endpoint, calls] of byEndpoint) {
      const methods = [...new Set(calls.map((c) => `${c.httpMethod!.toUpperCase()} ${c.httpPath ?? '/'}`))];
      const n = calls.length;
      hits.push({
        title: `Data sent to ${endpoint}, outside the allow-list: ${methods.slice(0, 3).join(', ')}${methods.length > 3 ? ' …' : ''} (${n} call${n === 1 ? '' : 's'})`,
        endpoint,
        processId: calls[0]!.processId,
        stepId: calls[0]!.stepId,
        first: calls[0]!.ts,
        last: calls[n - 1]!.ts,
        evidence: calls.slice(0, 1000).map((c) => ({ table: 'network' as const, id: c.id })),
      });
    }
    return hits;
  },
};
