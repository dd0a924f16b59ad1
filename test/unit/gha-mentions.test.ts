/** Hosts, URLs and IPs a log line writes (gha/mentions.ts): found as written, file names not taken for hosts. */
import { describe, expect, it } from 'vitest';
import { mentionsIn } from '../../electron/import/gha/mentions';

const hosts = (t: string) => mentionsIn(t).map((m) => `${m.kind}:${m.host}`);

describe('mentionsIn', () => {
  it('URLs (host taken from them, not listed twice), IPv4, host names', () => {
    expect(hosts('[command]/usr/bin/git remote add origin https://github.com/kemp233/OpenWrt-for-XG-040G-MD')).toEqual(['url:github.com']);
    expect(hosts('Resolving api.github.com (api.github.com)... 192.0.2.10, 2001:db8::1')).toEqual(['ip:192.0.2.10', 'host:api.github.com']);
    expect(hosts('curl -sS http://198.51.100.7:8080/x then beacon.exfil.example:443')).toEqual(['url:198.51.100.7', 'host:beacon.exfil.example']);
  });
  it('file names, versions and dotted numbers are not hosts', () => {
    expect(hosts('Run npm ci --prefix app; cat package.json index.js README.md setup.py build.sh')).toEqual([]);
    expect(hosts('node v20.19.6, version 1.2.3.4.5, 300.1.1.1, 10.0.0.256')).toEqual([]);
    expect(hosts('Included Software: https://github.com/actions/runner-images/blob/ubuntu24/x.md.')).toEqual(['url:github.com']);
  });
  it('file URLs and shell or template expressions are not hosts; names in any script and bracketed IPv6 are', () => {
    // seen in a real log (lewis-dimun): `file://${process.argv[1]}` was listed as a host "$"
    expect(hosts('if (import.meta.url === `file://${process.argv[1]}`) main();')).toEqual([]);
    expect(hosts('curl http://$HOST/x; wget https://%s/y; file:///etc/passwd')).toEqual([]);
    expect(hosts('fetch https://g\u0456thub.com/a and http://[2001:db8::1]:8080/b')).toEqual(['url:g\u0456thub.com', 'url:2001:db8::1']);
  });
  it('package versions in apt output are not addresses; an address standing alone still is (lines of a real log, SOURCES.md openwrt-home)', () => {
    expect(hosts('Removing libmono-2.0-1 (6.12.0.200-0xamarin2+ubuntu2004b1) ...')).toEqual([]);
    expect(hosts('Removing xul-ext-ubufox (3.4-0ubuntu1.17.10.1) ...')).toEqual([]);
    expect(hosts('Purging configuration files for php8.1-memcache (8.0+4.0.5.2+3.0.9~20170802.e702b5f9+-7) ...')).toEqual([]);
    expect(hosts('Setting up imagemagick (8:6.9.12.98+dfsg1-5.2build2) ...')).toEqual([]);
    expect(hosts('  IP     : 192.168.0.133')).toEqual(['ip:192.168.0.133']);
    expect(hosts('allow 192.0.2.1-192.0.2.9, deny 198.51.100.7:22')).toEqual(['ip:192.0.2.1', 'ip:192.0.2.9', 'ip:198.51.100.7']);
  });
});
