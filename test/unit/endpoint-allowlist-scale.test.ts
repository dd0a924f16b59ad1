/**
 * Issue 11 #5: allow-list matching through the suffix map. 20 k rules × 20 k distinct endpoints was 164 s when every
 * rule was tried on every endpoint; now each endpoint costs one probe plus one per dot-suffix of its host, whatever
 * the number of rules. Asserted by counting the map probes (no timing), and against the rule-by-rule definition.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AllowList, allowedBy, matchesRule, parseAllowed } from '../../shared/endpoint';

const N = 20_000;

describe('allow-list matching is linear in the endpoints', () => {
  it('20 k rules × 20 k endpoints: probes bounded by endpoints × (labels + 1), answers right', () => {
    const rules: string[] = [];
    for (let i = 0; i < N; i++) rules.push(i % 2 ? `*.svc${i}.corp.example:443` : `host${i}.corp.example:${1000 + (i % 50)}`);
    const list = new AllowList(rules);
    const endpoints: string[] = [];
    for (let i = 0; i < N; i++) endpoints.push(i % 3 ? `a.b.svc${i}.corp.example:443` : `host${i}.corp.example:${1000 + (i % 50)}`);
    let allowed = 0;
    let labels = 0;
    for (const e of endpoints) {
      labels += e.split(':')[0]!.split('.').length;
      if (list.allowedBy(e) !== null) allowed++;
    }
    expect(list.lookups).toBeLessThanOrEqual(endpoints.length + labels);
    // odd i with i % 3 != 0 -> wildcard hit; i % 3 == 0 and even i -> exact hit
    const expected = endpoints.filter((_, i) => (i % 3 !== 0 && i % 2 === 1) || (i % 3 === 0 && i % 2 === 0)).length;
    expect(allowed).toBe(expected);
  });

  it('a plain rules array is compiled once, not per call', () => {
    const rules = Array.from({ length: N }, (_, i) => `h${i}.example:443`);
    for (let i = 0; i < N; i++) expect(allowedBy(`h${i}.example:443`, rules)).toBe(`h${i}.example:443`);
  });

  it('agrees with the rule-by-rule definition, first rule as written wins', () => {
    const label = fc.constantFrom('a', 'b', 'example', 'test', 'x-y');
    const host = fc.array(label, { minLength: 1, maxLength: 4 }).map((l) => l.join('.'));
    const port = fc.constantFrom(443, 80);
    const rule = fc.tuple(fc.boolean(), host, port).map(([w, h, p]) => `${w ? '*.' : ''}${h}:${p}`);
    fc.assert(
      fc.property(fc.array(rule, { maxLength: 12 }), host, port, (rs, h, p) => {
        const naive = rs.map(parseAllowed).find((r) => r && matchesRule(`${h}:${p}`, r));
        expect(new AllowList(rs).allowedBy(`${h}:${p}`)).toBe(naive ? naive.raw : null);
      }),
      { numRuns: 2000 },
    );
  });
});
