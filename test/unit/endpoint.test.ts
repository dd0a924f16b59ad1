import { describe, expect, it } from 'vitest';
import {
  allowedBy,
  canonicalIpv6,
  matchesPolicy,
  normalizeEndpoint,
  normalizeEndpointText,
  normalizeHost,
  parseAllowed,
  parseHostPort,
} from '../../shared/endpoint';

describe('normalizeEndpoint', () => {
  it('lower-cases and drops the trailing dot', () => {
    expect(normalizeEndpoint('Telemetry.Exfil.EXAMPLE.', 443)).toBe('telemetry.exfil.example:443');
    expect(normalizeHost('  GitHub.com.  ')).toBe('github.com');
  });
  it('brackets IPv6 and writes it canonically', () => {
    expect(normalizeEndpoint('2001:DB8::1', 443)).toBe('[2001:db8::1]:443');
    expect(normalizeEndpoint('[2001:0db8:0000:0000:0000:0000:0000:0001]', 8443)).toBe('[2001:db8::1]:8443');
    expect(normalizeEndpoint('2001:db8:0:1:0:0:0:1', 53)).toBe('[2001:db8:0:1::1]:53');
  });
  it('keeps IPv4 as is', () => {
    expect(normalizeEndpoint('198.51.100.23', 80)).toBe('198.51.100.23:80');
  });
});

describe('canonicalIpv6', () => {
  it('compresses the longest zero run, first on a tie, never a single group', () => {
    expect(canonicalIpv6('2001:db8:0:0:1:0:0:1')).toBe('2001:db8::1:0:0:1');
    expect(canonicalIpv6('2001:db8:0:1:1:1:1:1')).toBe('2001:db8:0:1:1:1:1:1');
    expect(canonicalIpv6('::')).toBe('::');
    expect(canonicalIpv6('::1')).toBe('::1');
    expect(canonicalIpv6('::ffff:192.0.2.1')).toBe('::ffff:192.0.2.1');
  });
  it('rejects what is not IPv6', () => {
    expect(canonicalIpv6('example.com')).toBeNull();
    expect(canonicalIpv6('1::2::3')).toBeNull();
    expect(canonicalIpv6('12345::1')).toBeNull();
    expect(canonicalIpv6('1:2:3:4:5:6:7:8:9')).toBeNull();
  });
});

describe('parseHostPort / normalizeEndpointText', () => {
  it('reads host, host:port, [v6]:port and bare v6', () => {
    expect(parseHostPort('github.com')).toEqual({ host: 'github.com', port: 443 });
    expect(parseHostPort('GitHub.com:22')).toEqual({ host: 'github.com', port: 22 });
    expect(parseHostPort('[2001:db8::1]:80')).toEqual({ host: '2001:db8::1', port: 80 });
    expect(parseHostPort('2001:db8::1')).toEqual({ host: '2001:db8::1', port: 443 });
    expect(normalizeEndpointText('Beacon.Exfil.Example.:443')).toBe('beacon.exfil.example:443');
  });
  it('rejects junk', () => {
    expect(parseHostPort('')).toBeNull();
    expect(parseHostPort('a b:443')).toBeNull();
    expect(parseHostPort('host:99999')).toBeNull();
    expect(parseHostPort('host:https')).toBeNull();
    expect(parseHostPort('[2001:db8::1')).toBeNull();
    expect(parseHostPort('https://github.com')).toBeNull();
  });
});

describe('parseAllowed', () => {
  it('defaults the port to 443', () => {
    expect(parseAllowed('github.com')).toEqual({ raw: 'github.com', host: 'github.com', port: 443, wildcard: false });
    expect(parseAllowed('*.Example.org:8443')).toEqual({ raw: '*.Example.org:8443', host: 'example.org', port: 8443, wildcard: true });
  });
  it('refuses unreadable entries', () => {
    expect(parseAllowed('*')).toBeNull();
    expect(parseAllowed('a.*.example.org')).toBeNull();
    expect(parseAllowed('*.')).toBeNull();
    expect(parseAllowed('example.org:port')).toBeNull();
  });
});

describe('matchesPolicy', () => {
  const allowed = ['github.com:443', '*.github.com', 'registry.example.org:443', '[2001:db8::53]:53', '*.example.com:443'];
  it('matches exact host and port', () => {
    expect(matchesPolicy('github.com:443', allowed)).toBe(true);
    expect(matchesPolicy('GITHUB.COM.:443', allowed)).toBe(true);
    expect(matchesPolicy('github.com:80', allowed)).toBe(false);
    expect(matchesPolicy('registry.example.org:443', allowed)).toBe(true);
    expect(matchesPolicy('registry.example.org:8080', allowed)).toBe(false);
  });
  it('a wildcard matches subdomains at any depth but not the domain itself', () => {
    expect(matchesPolicy('api.github.com:443', allowed)).toBe(true);
    expect(matchesPolicy('objects.githubusercontent.github.com:443', allowed)).toBe(true);
    expect(matchesPolicy('example.com:443', allowed)).toBe(false);
    expect(matchesPolicy('a.example.com:443', allowed)).toBe(true);
    expect(matchesPolicy('evil-example.com:443', allowed)).toBe(false);
    expect(matchesPolicy('example.com.evil.test:443', allowed)).toBe(false);
    expect(matchesPolicy('notgithub.com:443', allowed)).toBe(false);
  });
  it('matches IPv6 rules in any spelling', () => {
    expect(matchesPolicy('[2001:0db8:0:0:0:0:0:53]:53', allowed)).toBe(true);
    expect(matchesPolicy({ host: '2001:DB8::53', port: 53 }, allowed)).toBe(true);
    expect(matchesPolicy('[2001:db8::54]:53', allowed)).toBe(false);
  });
  it('says which entry allowed it; unreadable entries allow nothing', () => {
    expect(allowedBy('api.github.com:443', allowed)).toBe('*.github.com');
    expect(allowedBy('telemetry.exfil.example:443', allowed)).toBeNull();
    expect(matchesPolicy('x.test:443', ['*', 'x.test:abc'])).toBe(false);
    expect(matchesPolicy('x.test:443', [])).toBe(false);
  });
});

describe('invisible characters at the ends of a host name are evidence, not white space', () => {
  it('keeps U+FEFF and NBSP (String.prototype.trim would drop them) and trims ASCII space only', () => {
    expect(normalizeHost('\uFEFFevil.example')).toBe('\uFEFFevil.example');
    expect(normalizeHost('evil.example\u00A0')).toBe('evil.example\u00A0');
    expect(normalizeHost(' \tEvil.Example.\r\n')).toBe('evil.example');
    expect(normalizeEndpointText('\uFEFFevil.example:443')).toBe('\uFEFFevil.example:443');
    // a smuggled name is never equated with the clean one an allow-list names
    expect(matchesPolicy('\uFEFFallowed.example:443', ['allowed.example:443'])).toBe(false);
    expect(matchesPolicy('allowed.example:443', ['allowed.example:443'])).toBe(true);
  });
});
