/**
 * Writes the hostile corpus test/fixtures/hostile/sec-* and its expectations (test/fixtures/hostile/expected.json):
 * inputs an attacker could hand over, each with the outcome Runlens must give. Deterministic (seeded), so the
 * committed files are what this script writes: `npx tsx scripts/make-hostile-corpus.ts` and check `git status`.
 * Run by test/integration/hostile-corpus.test.ts, which also holds every file to the common promises: no crash, no
 * hang past a budget, no write outside the case folder, no input changed.
 *
 * Outcomes: `imported` (a case, warnings allowed), `warned` (a case and at least one warning), `refused` (no case,
 * one clear error line), `any` (imported, warned or refused: never a crash), `case-refused` (a `.runlens` file that
 * opening refuses); `says`: words the warnings or the error must contain. Files named `import-*` come from the
 * import-layer tests (their own expectations there).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import { rng } from './seeded-random';

export type Outcome = 'imported' | 'warned' | 'refused' | 'any' | 'case-refused';

const OUT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'test', 'fixtures', 'hostile');
const expected: Record<string, { outcome: Outcome; why: string; says?: string }> = {};
const rand = rng(0x5ec11);

/**
 * Outcomes first written `any` (no promise beyond "no crash"), then reviewed one by one against what the importer
 * does: each is right for its input, so it is pinned, with the words of the warning or error that must say why
 * where that matters. A change of behaviour then shows up here, to be judged again (as it did when an import in
 * which every record was skipped became a refusal naming the first skipped line, and lone files stopped warning
 * that they have no manifest).
 */
const REVIEWED: Record<string, [Outcome, string?]> = {
  'auditd-hostile.log': ['refused', 'nothing imported'], 'bullfrog-hostile.log': ['refused', 'without a usable "timestamp"'],
  'csv-header-only.zip': ['warned'], 'csv-huge-field.zip': ['warned'], 'csv-unterminated-quote.zip': ['warned'],
  'csv-wrong-columns.zip': ['warned', 'fields, header has 6'], 'detections-hostile.zip': ['warned', 'expected a detection object'],
  'empty-file.log': ['refused', 'nothing recognised'], 'falco-hostile.log': ['refused', 'without a usable time'],
  'gzip-bomb.log.gz': ['refused', 'bomb'], 'gzip-concatenated.log.gz': ['warned'], 'gzip-garbage.tgz': ['refused', 'cannot read gzip'],
  'gzip-truncated.tar.gz': ['refused', 'cannot read gzip'], 'harden-runner-hostile.log': ['refused', 'not understood'],
  'json-array-huge.json': ['refused', 'nothing recognised'], 'json-deep.json': ['refused', 'nothing recognised'],
  'jsonl-proto.jsonl': ['refused', 'nothing recognised'], 'log-cr-only.txt': ['imported'], 'log-empty.txt': ['refused', 'nothing recognised'],
  'log-invalid-utf8.txt': ['warned', 'invalid UTF-8'], 'log-long-line.txt': ['imported'], 'log-no-timestamps.txt': ['refused', 'nothing recognised'],
  'log-only-spaces.txt': ['refused', 'nothing recognised'], 'log-single-newline.txt': ['refused', 'nothing recognised'],
  'log-ts-garbage.txt': ['refused', 'nothing recognised'], 'man-deep.zip': ['warned', 'nested too deeply'], 'man-empty.zip': ['warned', 'not recognised'],
  'man-huge-string.zip': ['warned'], 'man-invalid-json.zip': ['warned', 'malformed JSON'], 'man-not-object.zip': ['warned', 'not recognised'],
  'man-policy-not-array.zip': ['warned', 'allowed_endpoints'], 'man-policy-odd-entries.zip': ['warned', 'allowed_endpoints'],
  'man-proto-pollution.zip': ['warned'], 'man-step-names-hostile.zip': ['warned'], 'man-step-numbers-weird.zip': ['warned', 'out of range'],
  'man-steps-many.zip': ['warned'], 'man-steps-not-array.zip': ['warned', '"steps" must be an array'], 'man-times-garbage.zip': ['warned', 'not an RFC 3339 timestamp'],
  'man-version-999.zip': ['warned', 'unsupported bundle version 999'], 'name-\u200Bzero-width.log': ['imported'], 'name-\u202Egnp.exe.txt': ['imported'],
  'net-constructor-key.zip': ['warned'], 'net-deep-nesting.zip': ['warned', 'must be an object'], 'net-domain-huge.zip': ['warned'],
  'net-duplicate-keys.zip': ['warned'], 'net-empty-lines.zip': ['warned'], 'net-http-path-controls.zip': ['warned', 'status_code'],
  'net-invalid-utf8.zip': ['warned'], 'net-ip-garbage.zip': ['warned'], 'net-ipv6-zone.zip': ['warned'], 'net-pid-negative.zip': ['warned', 'out of range'],
  'net-proto-key.zip': ['warned'], 'net-status-weird.zip': ['warned'], 'net-trailing-dots.zip': ['warned'],
  'net-ts-year-0.zip': ['warned', 'cannot be stored'], 'net-ts-year-9999.zip': ['warned', 'cannot be stored'],
  'nul-only.txt': ['refused', 'nothing recognised'], 'one-byte.json': ['refused', 'nothing recognised'], 'pdf.jsonl': ['refused', 'nothing recognised'],
  'png-as-log.txt': ['refused', 'nothing recognised'], 'proc-args-huge.zip': ['warned'], 'proc-args-not-array.zip': ['warned', '"args" must be an array'],
  'proc-event-unknown.zip': ['warned', 'must be "exec" or "exit"'], 'proc-exit-before-exec.zip': ['warned'], 'proc-pid-unsafe.zip': ['warned', 'out of range'],
  'proc-pid-zero.zip': ['warned'], 'random.bin': ['refused', 'nothing recognised'], 'random.zip': ['refused', 'nothing recognised'],
  'sqlite-named-zip.zip': ['refused', 'nothing recognised'], 'strace-garbage.log': ['refused', 'nothing recognised'], 'strace-pid-huge.log': ['imported'],
  'strace-unterminated-string.log': ['refused', 'nothing recognised'], 'tar-bad-checksum.tar': ['refused', 'cannot read tar'],
  'tar-devices.tar': ['refused', 'nothing recognised'], 'tar-no-end.tar.gz': ['imported'], 'tar-size-huge.tar': ['refused', 'cannot read tar'],
  'tar-symlink.tar': ['refused', 'nothing recognised'], 'tar-traversal.tar': ['warned', 'path escapes the archive'],
  'tetragon-hostile.json': ['refused', 'without a usable time'], 'tracee-hostile.jsonl': ['refused', 'nothing recognised'], 'utf16.log': ['refused', 'nothing recognised'],
  'zip-absolute.zip': ['refused', 'nothing recognised'], 'zip-bomb-ratio.zip': ['refused', 'nothing imported'], 'zip-comment-huge.zip': ['imported'],
  'zip-crc-wrong.zip': ['warned', 'CRC-32 mismatch'], 'zip-deflate-garbage.zip': ['refused', 'no file gave a record'],
  'zip-duplicate-names.zip': ['warned', 'duplicate member name'], 'zip-empty.zip': ['refused', 'nothing recognised'],
  'zip-encrypted-flag.zip': ['refused', 'corrupt zip'], 'zip-many-dirs.zip': ['refused', 'nothing recognised'], 'zip-names-hostile.zip': ['warned', 'NUL byte'],
  'zip-nested-12.zip': ['refused', 'nothing recognised'], 'zip-no-central.zip': ['refused', 'cannot open zip'], 'zip-size-lies.zip': ['refused', 'corrupt zip'],
  'name with spaces & $(touch pwned).log': ['imported'], 'zip-symlink.zip': ['warned', 'not followed'], 'zip-traversal.zip': ['warned', 'path escapes the archive'], 'zip-truncated.zip': ['refused', 'cannot open zip'],
};

function put(name: string, data: Buffer | string, outcome: Outcome, why: string): void {
  const file = `sec-${name}`;
  fs.writeFileSync(path.join(OUT, file), data);
  const r = REVIEWED[name];
  expected[file] = r ? { outcome: outcome === 'any' ? r[0] : outcome, why, ...(r[1] ? { says: r[1] } : {}) } : { outcome, why };
}

// ---- containers written by hand: hostile names and headers that well-behaved libraries refuse to produce ----

interface ZipEntry {
  name: string;
  data: Buffer | string;
  deflate?: boolean;
  crc?: number;
  flags?: number;
  /** Claimed uncompressed size (default: the real one). */
  size?: number;
  external?: number;
}

function zip(entries: ZipEntry[], opts: { comment?: string; truncate?: number } = {}): Buffer {
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const raw = Buffer.isBuffer(e.data) ? e.data : Buffer.from(e.data, 'utf8');
    const body = e.deflate ? zlib.deflateRawSync(raw) : raw;
    const name = Buffer.from(e.name, 'utf8');
    const crc = e.crc ?? zlib.crc32(raw);
    const size = e.size ?? raw.length;
    const h = Buffer.alloc(30);
    h.writeUInt32LE(0x04034b50, 0);
    h.writeUInt16LE(20, 4);
    h.writeUInt16LE((e.flags ?? 0) | 0x800, 6);
    h.writeUInt16LE(e.deflate ? 8 : 0, 8);
    h.writeUInt32LE(crc >>> 0, 14);
    h.writeUInt32LE(body.length, 18);
    h.writeUInt32LE(size, 22);
    h.writeUInt16LE(name.length, 26);
    locals.push(h, name, body);
    const c = Buffer.alloc(46);
    c.writeUInt32LE(0x02014b50, 0);
    c.writeUInt16LE(0x031e, 4);
    c.writeUInt16LE(20, 6);
    c.writeUInt16LE((e.flags ?? 0) | 0x800, 8);
    c.writeUInt16LE(e.deflate ? 8 : 0, 10);
    c.writeUInt32LE(crc >>> 0, 16);
    c.writeUInt32LE(body.length, 20);
    c.writeUInt32LE(size, 24);
    c.writeUInt16LE(name.length, 28);
    c.writeUInt32LE(e.external ?? (0o100644 << 16) >>> 0, 38);
    c.writeUInt32LE(offset, 42);
    central.push(c, name);
    offset += 30 + name.length + body.length;
  }
  const cd = Buffer.concat(central);
  const comment = Buffer.from(opts.comment ?? '', 'utf8');
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  end.writeUInt16LE(comment.length, 20);
  const all = Buffer.concat([...locals, cd, end, comment]);
  return opts.truncate ? all.subarray(0, opts.truncate) : all;
}

interface TarEntry {
  name: string;
  data?: Buffer | string;
  type?: '0' | '1' | '2' | '5' | '3' | '4' | '6';
  link?: string;
  mode?: number;
}

function tar(entries: TarEntry[], opts: { noEnd?: boolean } = {}): Buffer {
  const parts: Buffer[] = [];
  for (const e of entries) {
    const data = e.data === undefined ? Buffer.alloc(0) : Buffer.isBuffer(e.data) ? e.data : Buffer.from(e.data, 'utf8');
    const h = Buffer.alloc(512);
    h.write(e.name.slice(0, 100), 0, 'utf8');
    h.write(((e.mode ?? 0o644).toString(8).padStart(7, '0')) + '\0', 100, 'ascii');
    h.write('0000000\0', 108, 'ascii');
    h.write('0000000\0', 116, 'ascii');
    h.write((e.type === '0' || e.type === undefined ? data.length : 0).toString(8).padStart(11, '0') + '\0', 124, 'ascii');
    h.write('14712345670\0', 136, 'ascii');
    h.write('        ', 148, 'ascii');
    h.write(e.type ?? '0', 156, 'ascii');
    if (e.link) h.write(e.link.slice(0, 100), 157, 'utf8');
    h.write('ustar\u000000', 257, 'latin1');
    let sum = 0;
    for (const b of h) sum += b;
    h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 'ascii');
    parts.push(h);
    if (e.type === '0' || e.type === undefined) {
      parts.push(data, Buffer.alloc((512 - (data.length % 512)) % 512));
    }
  }
  if (!opts.noEnd) parts.push(Buffer.alloc(1024));
  return Buffer.concat(parts);
}

const gz = (b: Buffer | string) => zlib.gzipSync(b);

// ---- a small, valid bundle to mutate ----

const T = (s: number) => new Date(Date.UTC(2026, 9, 14, 9, 12, 3) + s * 1000).toISOString();
const jl = (rows: unknown[]) => rows.map((r) => (typeof r === 'string' ? r : JSON.stringify(r))).join('\n') + '\n';

function manifest(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    format: 'ci-run-bundle',
    version: 1,
    producer: { name: 'hostile-corpus', version: '1.0.0' },
    run: { repository: 'acme/web', workflow: 'CI', job: 'test', run_id: 1001, run_attempt: 1, started_at: T(0), completed_at: T(60) },
    steps: [
      { number: 1, name: 'Set up job', started_at: T(0), completed_at: T(2), conclusion: 'success' },
      { number: 2, name: 'Run npm test', started_at: T(2), completed_at: T(60), conclusion: 'success' },
    ],
    policy: { egress_policy: 'audit', allowed_endpoints: ['github.com:443'] },
    ...extra,
  };
}

const NETWORK = [{ ts: T(5), pid: 2002, domain: 'github.com', ip: '192.0.2.10', port: 443, protocol: 'tcp', status: 'allowed' }];
const PROCESSES = [
  { ts: T(1), event: 'exec', pid: 1000, ppid: 1, exe: '/runner/Runner.Worker', args: ['Runner.Worker'], cwd: '/runner', uid: 1001 },
  { ts: T(3), event: 'exec', pid: 2002, ppid: 1000, exe: '/usr/bin/git', args: ['git', 'fetch'], cwd: '/w', uid: 1001 },
];
const LOG = `${T(0).replace('Z', '0000Z')} Current runner version: '2.328.0'\n${T(2).replace('Z', '0000Z')} ##[group]Run npm test\n${T(3).replace('Z', '0000Z')} ok\n${T(4).replace('Z', '0000Z')} ##[endgroup]\n`;

function bundleZip(mut: { manifest?: unknown; network?: string; processes?: string; dns?: string; files?: string; log?: string | Buffer; extra?: ZipEntry[]; csv?: string; detections?: string } = {}): Buffer {
  const e: ZipEntry[] = [
    { name: 'manifest.json', data: mut.manifest === undefined ? JSON.stringify(manifest()) : typeof mut.manifest === 'string' ? mut.manifest : JSON.stringify(mut.manifest), deflate: true },
    { name: 'network.jsonl', data: mut.network ?? jl(NETWORK), deflate: true },
    { name: 'processes.jsonl', data: mut.processes ?? jl(PROCESSES), deflate: true },
    { name: 'logs/test/2_Run npm test.txt', data: mut.log ?? LOG, deflate: true },
  ];
  if (mut.dns !== undefined) e.push({ name: 'dns.jsonl', data: mut.dns, deflate: true });
  if (mut.files !== undefined) e.push({ name: 'files.jsonl', data: mut.files, deflate: true });
  if (mut.csv !== undefined) e.push({ name: 'process-table.csv', data: mut.csv, deflate: true });
  if (mut.detections !== undefined) e.push({ name: 'detections.json', data: mut.detections, deflate: true });
  return zip([...e, ...(mut.extra ?? [])]);
}

const net = (over: Record<string, unknown>) => jl([{ ...NETWORK[0], ...over }]);
const proc = (over: Record<string, unknown>) => jl([PROCESSES[0], { ...PROCESSES[1], ...over }]);

function main(): void {
  fs.mkdirSync(OUT, { recursive: true });
  for (const f of fs.readdirSync(OUT)) if (f.startsWith('sec-')) fs.rmSync(path.join(OUT, f), { recursive: true, force: true });

  put('baseline-bundle.zip', bundleZip(), 'imported', 'the unmutated bundle the others start from');

  // -- network records
  const netCases: [string, Record<string, unknown> | string, Outcome][] = [
    ['net-rlo-domain', { domain: '\u202Emoc.buhtig' }, 'warned'],
    ['net-feff-domain', { domain: 'git\uFEFFhub.com' }, 'warned'],
    ['net-zwsp-domain', { domain: 'git\u200Bhub.com' }, 'warned'],
    ['net-homoglyph-domain', { domain: 'g\u0456thub.com' }, 'imported'],
    ['net-port-negative', { port: -1 }, 'warned'],
    ['net-port-huge', { port: 70000 }, 'warned'],
    ['net-port-string', { port: '443; DROP TABLE network' }, 'warned'],
    ['net-port-float', { port: 443.5 }, 'warned'],
    ['net-pid-unsafe', { pid: 2 ** 60 }, 'warned'],
    ['net-pid-negative', { pid: -5 }, 'any'],
    ['net-ts-year-9999', { ts: '9999-12-31T23:59:59.999999999Z' }, 'any'],
    ['net-ts-year-0', { ts: '0000-01-01T00:00:00Z' }, 'any'],
    ['net-ts-garbage', { ts: 'yesterday at noon' }, 'warned'],
    ['net-ts-number-huge', { ts: 1e300 }, 'warned'],
    ['net-ts-missing', { ts: undefined }, 'warned'],
    ['net-domain-huge', { domain: 'a'.repeat(300_000) + '.example' }, 'any'],
    ['net-domain-object', { domain: { toString: 'x' } }, 'warned'],
    ['net-ip-garbage', { ip: '999.999.1.1' }, 'any'],
    ['net-ipv6-zone', { ip: 'fe80::1%eth0\u202E', domain: null }, 'any'],
    ['net-proto-key', '{"__proto__":{"polluted":true},"ts":"2026-10-14T09:12:05.000Z","pid":1,"domain":"github.com","port":443}', 'any'],
    ['net-constructor-key', '{"constructor":{"prototype":{"polluted":true}},"ts":"2026-10-14T09:12:05.000Z","domain":"github.com","port":443}', 'any'],
    ['net-deep-nesting', '{"ts":"2026-10-14T09:12:05.000Z","domain":"github.com","port":443,"http":' + '['.repeat(50_000) + ']'.repeat(50_000) + '}', 'any'],
    ['net-not-json', 'this is not json\n{"half":', 'warned'],
    ['net-nul-bytes', '\0\0\0{"ts":"2026-10-14T09:12:05.000Z"}\0\n', 'warned'],
    ['net-invalid-utf8', Buffer.concat([Buffer.from('{"ts":"2026-10-14T09:12:05.000Z","domain":"'), Buffer.from([0xc3, 0x28, 0xff, 0xfe]), Buffer.from('","port":443}\n')]).toString('latin1'), 'any'],
    ['net-duplicate-keys', '{"ts":"2026-10-14T09:12:05.000Z","domain":"github.com","domain":"evil.example","port":443,"port":80}', 'any'],
    ['net-status-weird', { status: '<script>alert(1)</script>' }, 'any'],
    ['net-http-path-controls', { http: { method: 'GET\x1b[2J', host: 'github.com', path: '/\r\n\u202E', status_code: 'x' } }, 'any'],
    ['net-empty-lines', '\n\n\n   \n\t\n', 'any'],
    ['net-array-top', '[1,2,3]\n"string"\nnull\n42\n', 'warned'],
    ['net-fullwidth-domain', { domain: '\uff47\uff49\uff54\uff48\uff55\uff42.com' }, 'imported'],
    ['net-punycode-domain', { domain: 'xn--80ak6aa92e.com' }, 'imported'],
    ['net-trailing-dots', { domain: 'github.com.....' }, 'any'],
    ['net-many-records', jl(Array.from({ length: 20_000 }, (_, i) => ({ ...NETWORK[0], ts: T(5 + i / 1000), domain: `h${i}.example` }))), 'imported'],
    ['net-sql-in-values', { domain: "x'); DROP TABLE network;--", process_name: "'; ATTACH DATABASE '/tmp/x' AS x;--" }, 'imported'],
  ];
  for (const [name, over, outcome] of netCases) {
    const network = typeof over === 'string' ? over : net(over);
    put(`${name}.zip`, bundleZip({ network }), outcome, `network.jsonl: ${name.slice(4)}`);
  }

  // -- processes
  const procCases: [string, string, Outcome][] = [
    ['proc-self-parent', proc({ ppid: 2002 }), 'imported'],
    ['proc-cycle', jl([{ ...PROCESSES[0], ppid: 2002 }, PROCESSES[1]]), 'imported'],
    ['proc-pid-zero', proc({ pid: 0 }), 'any'],
    ['proc-pid-unsafe', '{"ts":"2026-10-14T09:12:04.000Z","event":"exec","pid":9007199254740993,"ppid":1000,"exe":"/bin/x","args":["x"]}\n', 'any'],
    ['proc-args-not-array', proc({ args: 'rm -rf /' }), 'any'],
    ['proc-args-huge', proc({ args: Array.from({ length: 20_000 }, (_, i) => `a${i}`) }), 'any'],
    ['proc-exe-controls', proc({ exe: '/usr/bin/\x1b]0;pwned\x07evil\u202Etxt.exe' }), 'imported'],
    ['proc-event-unknown', proc({ event: 'fork-bomb' }), 'any'],
    ['proc-deep-chain', jl(Array.from({ length: 5000 }, (_, i) => ({ ts: T(1 + i / 1000), event: 'exec', pid: 3000 + i, ppid: i ? 2999 + i : 1000, exe: '/bin/sh', args: ['sh'] }))), 'imported'],
    ['proc-wide-fanout', jl(Array.from({ length: 5000 }, (_, i) => ({ ts: T(1 + i / 1000), event: 'exec', pid: 3000 + i, ppid: 1000, exe: '/bin/true', args: ['true'] }))), 'imported'],
    ['proc-pid-reuse', jl(Array.from({ length: 200 }, (_, i) => ({ ts: T(1 + i / 10), event: i % 2 ? 'exit' : 'exec', pid: 4242, ppid: 1000, exe: '/bin/x', args: ['x'], exit_code: 0 }))), 'imported'],
    ['proc-exit-before-exec', jl([{ ts: T(1), event: 'exit', pid: 7, exit_code: 1 }, { ts: T(2), event: 'exec', pid: 7, ppid: 1, exe: '/bin/y', args: ['y'] }]), 'any'],
    ['proc-garbage', 'not json at all\n' + '{'.repeat(1000) + '\n', 'warned'],
  ];
  for (const [name, processes, outcome] of procCases) put(`${name}.zip`, bundleZip({ processes }), outcome, `processes.jsonl: ${name.slice(5)}`);

  // -- manifests
  const manCases: [string, unknown, Outcome][] = [
    ['man-version-999', manifest({ version: 999 }), 'any'],
    ['man-not-object', '[]', 'any'],
    ['man-invalid-json', '{"format": "ci-run-bundle", ', 'any'],
    ['man-empty', '', 'any'],
    ['man-steps-not-array', manifest({ steps: 'all of them' }), 'any'],
    ['man-steps-many', manifest({ steps: Array.from({ length: 10_000 }, (_, i) => ({ number: i + 1, name: `s${i}`, started_at: T(i / 1000), completed_at: T(i / 1000 + 0.001) })) }), 'any'],
    ['man-step-names-hostile', manifest({ steps: [{ number: 1, name: '\u202Egnp.exe\x1b[2J\u0000', started_at: T(0), completed_at: T(60) }] }), 'any'],
    ['man-step-numbers-weird', manifest({ steps: [{ number: -1, name: 'a' }, { number: 1e308, name: 'b' }, { number: 'x', name: 'c' }, { number: 1, name: 'd' }, { number: 1, name: 'dup' }] }), 'any'],
    ['man-policy-many-wildcards', manifest({ policy: { egress_policy: 'block', allowed_endpoints: Array.from({ length: 20_000 }, (_, i) => `*.h${i}.example:443`) } }), 'imported'],
    ['man-policy-odd-entries', manifest({ policy: { egress_policy: 'block', allowed_endpoints: ['*', '*.', '', ':443', '[::1]', '*.*.example', 'github.com:99999', 42, null, { a: 1 }] } }), 'any'],
    ['man-policy-not-array', manifest({ policy: { egress_policy: 'block', allowed_endpoints: 'github.com:443 evil.example:443' } }), 'any'],
    ['man-proto-pollution', '{"__proto__":{"isAdmin":true},"format":"ci-run-bundle","version":1,"run":{"__proto__":{"job":"x"}}}', 'any'],
    ['man-deep', '{"format":"ci-run-bundle","version":1,"run":' + '{"a":'.repeat(20_000) + '1' + '}'.repeat(20_000) + '}', 'any'],
    ['man-huge-string', manifest({ run: { repository: 'x'.repeat(5_000_000) } }), 'any'],
    ['man-times-garbage', manifest({ run: { started_at: 'soon', completed_at: -1 } }), 'any'],
  ];
  for (const [name, m, outcome] of manCases) put(`${name}.zip`, bundleZip({ manifest: m }), outcome, `manifest.json: ${name.slice(4)}`);

  // -- other bundle members
  put('dns-hostile.zip', bundleZip({ dns: jl([{ ts: T(4), domain: '\u202Emoc.buhtig', answers: ['192.0.2.10', 'not-an-ip', 7], type: 'A' }, { ts: T(4), domain: 'x', answers: 'nope' }, '{"broken"']) }), 'warned', 'dns.jsonl with bidi domains, bad answers, a broken line');
  put('files-hostile.zip', bundleZip({ files: jl([{ ts: T(6), path: '../../../../etc/passwd', op: 'write' }, { ts: T(6), path: '\u202Etxt.exe', op: '\x1b[31mwrite' }, { ts: 'x' }]) }), 'warned', 'files.jsonl with traversal-looking paths and controls');
  put('detections-hostile.zip', bundleZip({ detections: '[{"id":"d1","kind":"\\u202e","severity":"<b>high</b>","endpoint":"\\u0000:0"}, 5, null, "x"]' }), 'any', 'detections.json with hostile values');
  put('detections-not-json.zip', bundleZip({ detections: '{{{{' }), 'warned', 'detections.json that is not JSON');
  const csvCases: [string, string, Outcome][] = [
    ['csv-unterminated-quote', 'PID,PPID,STARTED,ENDED,COMMAND,CWD\n1,0,2026-10-14T09:12:03Z,,"bash -c ' + 'x\n'.repeat(20_000), 'any'],
    ['csv-formula', 'PID,PPID,STARTED,ENDED,COMMAND,CWD\n5,1,2026-10-14T09:12:03Z,,=cmd|\' /C calc\'!A0,/w\n', 'imported'],
    ['csv-wrong-columns', 'PID,PPID,STARTED,ENDED,COMMAND,CWD\n1,2\n3,4,5,6,7,8,9,10\n', 'any'],
    ['csv-bom-crlf', '\uFEFFPID,PPID,STARTED,ENDED,COMMAND,CWD\r\n9,1,2026-10-14T09:12:03Z,,sh,/w\r\n', 'imported'],
    ['csv-huge-field', 'PID,PPID,STARTED,ENDED,COMMAND,CWD\n9,1,2026-10-14T09:12:03Z,,"' + 'y'.repeat(3_000_000) + '",/w\n', 'any'],
    ['csv-header-only', 'PID,PPID,STARTED,ENDED,COMMAND,CWD\n', 'any'],
  ];
  for (const [name, csv, outcome] of csvCases) put(`${name}.zip`, bundleZip({ csv }), outcome, `process-table.csv: ${name.slice(4)}`);

  // -- logs (single files: the GHA log importer)
  const ts = (i: number) => new Date(Date.UTC(2026, 9, 14, 9, 12, 3) + i).toISOString().replace('Z', '0000Z');
  const lines = (n: number, f: (i: number) => string) => Array.from({ length: n }, (_, i) => `${ts(i)} ${f(i)}`).join('\n') + '\n';
  const logCases: [string, string | Buffer, Outcome][] = [
    ['log-osc-unterminated', lines(400, () => '\x1b]8;;'.repeat(200) + 'text'), 'imported'],
    ['log-csi-bomb', lines(100, () => '\x1b['.repeat(2000) + 'm'), 'imported'],
    ['log-long-line', `${ts(0)} ` + 'A'.repeat(1_500_000) + '\n', 'any'],
    ['log-bidi-lines', lines(100, (i) => `\u202E${i}gnp.exe \u2066hidden\u2069 \u200Bzw`), 'imported'],
    ['log-nul-bytes', lines(100, () => 'a\0b\0c'), 'refused'], // looks binary: refused, naming the file
    ['log-invalid-utf8', Buffer.concat([Buffer.from(lines(3, () => 'ok')), Buffer.from([0xff, 0xfe, 0xc0, 0x80, 0xed, 0xa0, 0x80, 0x0a])]), 'any'],
    ['log-group-deep', lines(10_000, () => '##[group]deeper'), 'imported'],
    ['log-endgroup-only', lines(10_000, () => '##[endgroup]'), 'imported'],
    ['log-markers-all', lines(40, (i) => ['##[error]e', '##[warning]w', '##[notice]n', '##[debug]d', '##[command]c', '##[section]s', '##[group]g', '##[endgroup]'][i % 8]!), 'imported'],
    ['log-ts-backwards', Array.from({ length: 300 }, (_, i) => `${ts(300 - i)} line ${i}`).join('\n') + '\n', 'imported'],
    ['log-ts-garbage', Array.from({ length: 300 }, (_, i) => `20${i}-99-99T99:99:99.9999999Z line`).join('\n') + '\n', 'any'],
    ['log-no-timestamps', Array.from({ length: 300 }, (_, i) => `line ${i} without time`).join('\n') + '\n', 'any'],
    ['log-crlf-mixed', lines(200, (i) => (i % 2 ? 'crlf\r' : 'lf')), 'imported'],
    ['log-cr-only', Array.from({ length: 300 }, (_, i) => `${ts(i)} cr line ${i}`).join('\r') + '\r', 'any'],
    ['log-ansi-colors-invisible', lines(50, () => '\x1b[97;107mwhite on white\x1b[0m \x1b[30;40mblack on black'), 'imported'],
    ['log-mentions-many', lines(2000, (i) => `curl https://h${i}.exfil.example/x ${'\u202E'}`), 'imported'],
    ['log-bom-everywhere', lines(100, () => '\uFEFFgit\uFEFFhub.com'), 'imported'],
    ['log-empty', '', 'any'],
    ['log-single-newline', '\n', 'any'],
    ['log-only-spaces', ' '.repeat(100_000), 'any'],
    ['log-surrogates', lines(50, () => '\ud800 lone \udc00 pair \ud83d\ude00'), 'imported'],
    ['log-tag-chars', lines(50, () => 'curl https://evil.example/\u{E0041}\u{E0042}'), 'imported'],
    ['log-secrets-lookalike', lines(50, (i) => `::add-mask::token${i} ghp_${'x'.repeat(36)} AKIA${'Z'.repeat(16)}`), 'imported'],
    ['log-html', lines(50, () => '<img src=x onerror=alert(1)><script>alert(2)</script>'), 'imported'],
    ['log-step-markers-forged', lines(60, (i) => (i % 3 ? `##[group]Run actions/checkout@v4 \u202E${i}` : '##[endgroup]')), 'imported'],
    ['log-c1-controls', lines(50, () => 'x\u009b2J\u0085\u009d0;title\u009c'), 'imported'],
  ];
  for (const [name, data, outcome] of logCases) put(`${name}.txt`, data, outcome, `GitHub Actions log: ${name.slice(4)}`);

  // -- telemetry formats, malformed
  const fmtCases: [string, string, Outcome][] = [
    ['strace-garbage.log', '2300  1781685644.000100 execve("/usr/bin/bash", ["bash", "-e" <unfinished ...>\n' + '2300  1781685644.1 clone(' + '('.repeat(10_000) + '\n2300 x\n', 'any'],
    ['strace-unterminated-string.log', '2300  1781685644.000100 execve("/usr/bin/bash\\", ["' + 'x'.repeat(100_000) + '\n', 'any'],
    ['strace-pid-huge.log', '99999999999999999999  1781685644.000100 execve("/bin/x", ["x"], 0x0 /* 0 vars */) = 0\n', 'any'],
    ['falco-hostile.log', '{"output":"\\u202e","priority":"Critical","rule":"x","time":"9999-99-99","output_fields":{"proc.pid":"NaN","fd.name":"\\u0000"}}\n{"broken\n', 'any'],
    ['tetragon-hostile.json', '{"process_exec":{"process":{"pid":-1,"binary":"\\u202e/bin/sh","arguments":' + '"a",'.repeat(0) + '"x","start_time":"never"}},"time":"never"}\n', 'any'],
    ['tracee-hostile.jsonl', '{"timestamp":1e400,"processId":"x","eventName":"sched_process_exec","args":[{"name":"pathname","value":"\\u202e"}]}\n{"timestamp":-1}\n', 'any'],
    ['auditd-hostile.log', 'type=SYSCALL msg=audit(9999999999999.001:1): syscall=59 pid=-1 ppid=99999999999999999999 exe=' + '"'.repeat(5) + ' comm=(null)\ntype=EXECVE msg=audit(1.1:1): argc=100000 a0="x"\n', 'any'],
    ['harden-runner-hostile.log', 'Wed, 17 Jun 2026 08:40:35 GMT:endpoint called ip address:port 999.1.1.1:99999, domain: \u202Emoc.buhtig, pid: -5, process: \x1b[2J\nnot a line\n', 'any'],
    ['bullfrog-hostile.log', '{"timestamp":"x","decision":"allowed","protocol":"tcp","dstIP":"::::","dstPort":"-1","domain":"\\u202emoc.buhtig","pid":1e309}\n', 'any'],
  ];
  for (const [name, data, outcome] of fmtCases) put(name, data, outcome, `telemetry file: ${name}`);

  // -- archives
  const base = bundleZip();
  put('zip-traversal.zip', zip([{ name: '../../../../tmp/runlens-pwned', data: 'x' }, { name: 'manifest.json', data: JSON.stringify(manifest()) }]), 'any', 'a member path that climbs out');
  put('zip-absolute.zip', zip([{ name: '/etc/runlens-pwned', data: 'x' }, { name: 'C:\\Windows\\evil.txt', data: 'y' }]), 'any', 'absolute and drive member paths');
  put('zip-symlink.zip', zip([{ name: 'link', data: '/etc/passwd', external: (0o120777 << 16) >>> 0 }, { name: 'network.jsonl', data: jl(NETWORK) }]), 'any', 'a symlink member pointing at /etc/passwd');
  put('zip-duplicate-names.zip', zip([{ name: 'network.jsonl', data: jl(NETWORK) }, { name: 'network.jsonl', data: net({ domain: 'evil.example' }) }]), 'any', 'the same member twice');
  put('zip-bomb-ratio.zip', zip([{ name: 'logs/1_x.txt', data: Buffer.alloc(40_000_000, 0x41), deflate: true }]), 'any', 'a 40 MB member from ~40 KB');
  put('zip-size-lies.zip', zip([{ name: 'network.jsonl', data: jl(NETWORK), size: 3 }]), 'any', 'a member whose declared size is wrong');
  put('zip-crc-wrong.zip', zip([{ name: 'network.jsonl', data: jl(NETWORK), crc: 0xdeadbeef }]), 'any', 'a member with a wrong CRC-32');
  put('zip-encrypted-flag.zip', zip([{ name: 'network.jsonl', data: jl(NETWORK), flags: 1 }]), 'any', 'a member flagged encrypted');
  put('zip-truncated.zip', base.subarray(0, Math.floor(base.length / 2)), 'any', 'half a zip');
  put('zip-no-central.zip', base.subarray(0, base.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]))), 'any', 'local headers only');
  put('zip-empty.zip', zip([]), 'any', 'an empty zip');
  put('zip-comment-huge.zip', zip([{ name: 'network.jsonl', data: jl(NETWORK) }], { comment: 'c'.repeat(65_000) }), 'any', 'a 64 KB comment');
  put('zip-names-hostile.zip', zip([{ name: 'logs/test/1_\u202Egnp.exe.txt', data: LOG }, { name: 'logs/test/2_\x1b[2J.txt', data: LOG }, { name: 'logs/\0nul.txt', data: LOG }]), 'any', 'member names with bidi, ESC and NUL');
  let nested = base;
  for (let i = 0; i < 12; i++) nested = zip([{ name: `level${i}.zip`, data: nested }]);
  put('zip-nested-12.zip', nested, 'any', 'a bundle 12 zips deep');
  put('zip-many-dirs.zip', zip(Array.from({ length: 3000 }, (_, i) => ({ name: `${'d/'.repeat(1 + (i % 50))}f${i}.txt`, data: '' }))), 'any', '3 000 empty members in deep folders');
  put('zip-deflate-garbage.zip', (() => { const z = zip([{ name: 'network.jsonl', data: jl(NETWORK), deflate: true }]); for (let i = 40; i < 60; i++) z[i] = 0xff; return z; })(), 'any', 'corrupt deflate data');
  put('tar-traversal.tar', tar([{ name: '../../evil.txt', data: 'x' }, { name: 'manifest.json', data: JSON.stringify(manifest()) }]), 'any', 'a tar member that climbs out');
  put('tar-symlink.tar', tar([{ name: 'network.jsonl', type: '2', link: '/etc/passwd' }, { name: 'logs/x', type: '1', link: '/etc/shadow' }]), 'any', 'symlink and hard link members');
  put('tar-devices.tar', tar([{ name: 'dev', type: '3' }, { name: 'blk', type: '4' }, { name: 'fifo', type: '6' }, { name: 'dir', type: '5' }]), 'any', 'device, FIFO and folder members');
  put('tar-no-end.tar.gz', gz(tar([{ name: 'network.jsonl', data: jl(NETWORK) }], { noEnd: true })), 'any', 'a tar without its end blocks');
  put('tar-bad-checksum.tar', (() => { const t = tar([{ name: 'network.jsonl', data: jl(NETWORK) }]); t[148] = 0x37; return t; })(), 'any', 'a tar header with a wrong checksum');
  put('tar-size-huge.tar', (() => { const t = tar([{ name: 'network.jsonl', data: jl(NETWORK) }]); t.write('77777777777\0', 124, 'ascii'); return t; })(), 'any', 'a tar member claiming 8 GB');
  put('gzip-truncated.tar.gz', gz(tar([{ name: 'network.jsonl', data: jl(NETWORK) }])).subarray(0, 40), 'any', 'half a gzip');
  put('gzip-garbage.tgz', Buffer.concat([Buffer.from([0x1f, 0x8b, 8, 0]), Buffer.from(Array.from({ length: 4000 }, () => Math.floor(rand() * 256)))]), 'any', 'gzip magic, then noise');
  put('gzip-concatenated.log.gz', Buffer.concat([gz(LOG), gz(LOG), gz('')]), 'any', 'three gzip members in a row');
  put('gzip-bomb.log.gz', gz(Buffer.alloc(30_000_000, 0x0a)), 'any', '30 MB of newlines in ~30 KB');

  // -- files that are not what their name says
  const noise = Buffer.from(Array.from({ length: 8192 }, () => Math.floor(rand() * 256)));
  put('random.bin', noise, 'any', 'random bytes');
  put('random.zip', noise, 'any', 'random bytes named .zip');
  put('png-as-log.txt', Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), noise.subarray(0, 500)]), 'any', 'a PNG header named .txt');
  put('pdf.jsonl', '%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\n', 'any', 'a PDF named .jsonl');
  put('empty-file.log', '', 'any', 'an empty file');
  put('one-byte.json', '{', 'any', 'one byte');
  put('nul-only.txt', Buffer.alloc(100_000), 'any', 'only NUL bytes');
  put('utf16.log', Buffer.from('\uFEFF' + LOG, 'utf16le'), 'any', 'a UTF-16 log');
  put('json-array-huge.json', '[' + Array.from({ length: 100_000 }, (_, i) => i).join(',') + ']', 'any', 'a JSON array of 100 000 numbers');
  put('json-deep.json', '['.repeat(200_000) + ']'.repeat(200_000), 'any', 'JSON nested 200 000 deep');
  put('jsonl-proto.jsonl', '{"__proto__":{"x":1},"constructor":{"prototype":{"y":2}}}\n'.repeat(50), 'any', 'prototype keys on every line');
  put('name-\u202Egnp.exe.txt', LOG, 'any', 'a file name with a right-to-left override');
  put('name-\u200Bzero-width.log', LOG, 'any', 'a file name with a zero-width space');
  put('name with spaces & $(touch pwned).log', LOG, 'any', 'a file name with shell syntax');

  // -- SQLite files: evidence, never a case by its bytes
  const sqliteHeader = Buffer.concat([Buffer.from('SQLite format 3\0', 'latin1'), Buffer.alloc(84)]);
  put('sqlite-named-zip.zip', sqliteHeader, 'any', 'SQLite magic named .zip: evidence, imported read-only, never opened as a case');
  put('sqlite-header-only.runlens', sqliteHeader, 'case-refused', 'a .runlens file with a header and nothing else');
  put('text.runlens', 'not a case\n', 'case-refused', 'a .runlens file that is text');
  put('empty.runlens', '', 'case-refused', 'an empty .runlens file');
  put('wal-header.runlens', (() => { const b = Buffer.from(sqliteHeader); b[18] = 2; b[19] = 2; b.writeUInt32BE(2, 60); return b; })(), 'case-refused', 'a header that asks for WAL mode');

  fs.writeFileSync(path.join(OUT, 'expected.json'), JSON.stringify(expected, null, 1) + '\n');
  console.log(`${Object.keys(expected).length} files in ${path.relative(process.cwd(), OUT)}`);
}

main();
