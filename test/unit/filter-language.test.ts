/** The filter language's parser and matcher (shared/filter.ts): syntax, precedence, fields, CIDR, regex, errors. */
import { describe, expect, it } from 'vitest';
import { callSubject, FilterError, ipInCidr, ipsInText, logSubject, matches, parseFilter, tryParseFilter } from '../../shared/filter';

const call = (o: Partial<Parameters<typeof callSubject>[0]> = {}) =>
  callSubject({
    domain: 'telemetry.exfil.example',
    ip: '203.0.113.45',
    port: 443,
    process_name: 'curl',
    pid: 1827,
    step_number: 4,
    running_step_number: 4,
    status: 'allowed',
    http_status: 202,
    verdict: 'outside-policy',
    http_method: 'POST',
    http_path: '/v2/collect',
    endpoint: 'telemetry.exfil.example:443',
    ...o,
  });
const m = (expr: string, s = call()) => matches(parseFilter(expr), s);

describe('parseFilter', () => {
  it('reads fields, words, phrases, regexes, negation and precedence (AND before OR)', () => {
    expect(parseFilter('')).toBeNull();
    expect(parseFilter('a OR b c')).toEqual({
      op: 'or',
      items: [
        { op: 'term', field: null, value: { kind: 'text', text: 'a', exact: false } },
        { op: 'and', items: [
          { op: 'term', field: null, value: { kind: 'text', text: 'b', exact: false } },
          { op: 'term', field: null, value: { kind: 'text', text: 'c', exact: false } },
        ] },
      ],
    });
    expect(parseFilter('-process:node')).toEqual({ op: 'not', item: { op: 'term', field: 'process', value: { kind: 'text', text: 'node', exact: false } } });
    expect(parseFilter('port:>1024')).toMatchObject({ value: { kind: 'range', lo: 1025, hi: Infinity } });
    expect(parseFilter('port:1000-2000')).toMatchObject({ value: { kind: 'range', lo: 1000, hi: 2000 } });
    expect(parseFilter('domain:/exf+il/i')).toMatchObject({ field: 'domain', value: { kind: 'regex', source: 'exf+il', flags: 'i' } });
    expect(parseFilter('/v2/collect')).toMatchObject({ field: null, value: { kind: 'text', text: '/v2/collect' } });
    expect(parseFilter('"a phrase"')).toMatchObject({ value: { kind: 'text', text: 'a phrase' } });
    expect(parseFilter('domain:=github.com')).toMatchObject({ value: { kind: 'text', text: 'github.com', exact: true } });
  });
  it('says what is wrong and where', () => {
    for (const bad of ['(a', 'a)', '"open', 'port:abc', 'domain:', 'ip:10.0.0.0/40', '/x(/', 'NOT']) {
      expect(() => parseFilter(bad), bad).toThrow(FilterError);
    }
    expect(tryParseFilter('port:abc').error).toMatch(/port: "abc" is not a number/);
  });
});

describe('matches a call', () => {
  it('each field', () => {
    expect(m('domain:exfil')).toBe(true);
    expect(m('domain:github')).toBe(false);
    expect(m('domain:=telemetry.exfil.example')).toBe(true);
    expect(m('domain:=exfil.example')).toBe(false);
    expect(m('ip:203.0.113.45')).toBe(true);
    expect(m('port:443')).toBe(true);
    expect(m('port:80')).toBe(false);
    expect(m('process:CURL')).toBe(true);
    expect(m('pid:1827')).toBe(true);
    expect(m('pid:182')).toBe(false);
    expect(m('step:4')).toBe(true);
    expect(m('step:3')).toBe(false);
    expect(m('status:202')).toBe(true);
    expect(m('status:blocked')).toBe(false);
    expect(m('verdict:outside')).toBe(true);
    expect(m('method:post')).toBe(true);
    expect(m('method:GET')).toBe(false);
  });
  it('negation, AND, OR, groups', () => {
    expect(m('NOT domain:exfil')).toBe(false);
    expect(m('!method:GET')).toBe(true);
    expect(m('domain:exfil AND method:GET')).toBe(false);
    expect(m('domain:exfil && method:GET || pid:1827')).toBe(true);
    expect(m('domain:exfil (method:GET | port:443)')).toBe(true);
    expect(m('-(method:GET | port:443)')).toBe(false);
  });
  it('CIDR blocks, IPv4 and IPv6', () => {
    expect(m('ip:203.0.113.0/24')).toBe(true);
    expect(m('ip:203.0.112.0/24')).toBe(false);
    expect(m('ip:203.0.0.0/8')).toBe(true);
    expect(ipInCidr('2001:db8::1', '2001:db8::/32')).toBe(true);
    expect(ipInCidr('2001:db9::1', '2001:db8::/32')).toBe(false);
    expect(ipInCidr('192.0.2.1', '2001:db8::/32')).toBe(false);
    expect(ipInCidr('192.0.2.200', '192.0.2.128/25')).toBe(true);
  });
  it('regular expressions, on a field or anywhere', () => {
    expect(m('/^telemetry\\./')).toBe(true);
    expect(m('domain:/^exfil/')).toBe(false);
    expect(m('process:/^cu.l$/')).toBe(true);
  });
  it('a missing value never matches, so its negation does', () => {
    const bare = call({ domain: null, http_method: null });
    expect(m('domain:x', bare)).toBe(false);
    expect(m('-domain:x', bare)).toBe(true);
  });
});

describe('matches a log line', () => {
  const line = logSubject({ text: 'evil-pkg: sending to https://telemetry.exfil.example (203.0.113.45:443)', step_number: 4 });
  it('fields look into the text, step is the line’s step', () => {
    expect(matches(parseFilter('domain:exfil'), line)).toBe(true);
    expect(matches(parseFilter('ip:203.0.113.0/24'), line)).toBe(true);
    expect(matches(parseFilter('ip:198.51.100.0/24'), line)).toBe(false);
    expect(matches(parseFilter('port:443'), line)).toBe(true);
    expect(matches(parseFilter('step:4 -domain:github'), line)).toBe(true);
    expect(matches(parseFilter('step:5'), line)).toBe(false);
    expect(matches(parseFilter('"sending to"'), line)).toBe(true);
    expect(ipsInText('a 192.0.2.1 b 2001:db8::5 c 999.1.1.1')).toEqual(['192.0.2.1', '2001:db8::5']);
  });
});
