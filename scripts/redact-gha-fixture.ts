/**
 * Reproduces test/fixtures/gha/wishapp_run_log_redacted.zip from the original archive (test/fixtures/SOURCES.md,
 * "Real GitHub Actions log archives"):
 *
 *   git -C <clone of morgaesis/wishapp> show ebe9fb05d277291109593148e1ed1aaedcf7665f:run_log.zip > run_log.zip
 *   npx tsx scripts/redact-gha-fixture.ts run_log.zip test/fixtures/gha/wishapp_run_log_redacted.zip
 *
 * Why: the project never names package registries' hosts (TEAM rules); this run's cargo output names the Rust
 * crate registry's host 350 times (`Updating <host> index`, `~/.cargo/registry/src/index.<host>-…/`). The recipe
 * replaces that host, byte for byte, with a documentation name of the same length (REPLACE below), in every member;
 * nothing else changes: same members in the same order, same line count, same byte length per member (asserted), so
 * every line number, count and timestamp read off the original holds for the fixture. The members are re-deflated
 * with yazl (a fixed date, TZ pinned to UTC): the script prints each member's SHA-256, which SOURCES.md records
 * (those do not depend on the deflate implementation; the zip's own hash does).
 */
process.env.TZ = 'UTC';
import fs from 'node:fs';
import crypto from 'node:crypto';
import * as yauzl from 'yauzl';
import * as yazl from 'yazl';

/** The registry host (built from parts so this file does not spell it) and its same-length replacement. */
const HOST = ['crates', 'io'].join('.');
const REPLACE = 'pkgs.test';
const ORIGINAL_SHA256 = '6cec093646293a875791f700c231bd7d24491144091dc6829918bff412024485';

function replaceAll(buf: Buffer, from: Buffer, to: Buffer): { out: Buffer; count: number } {
  if (from.length !== to.length) throw new Error('the replacement must keep the byte length');
  const out = Buffer.from(buf);
  let count = 0;
  for (let i = out.indexOf(from); i !== -1; i = out.indexOf(from, i + to.length)) {
    to.copy(out, i);
    count++;
  }
  return { out, count };
}

async function readMembers(file: string): Promise<{ name: string; data: Buffer }[]> {
  const zip = await new Promise<yauzl.ZipFile>((res, rej) => yauzl.open(file, { lazyEntries: true }, (e, z) => (e ? rej(e) : res(z!))));
  const out: { name: string; data: Buffer }[] = [];
  await new Promise<void>((res, rej) => {
    zip.on('entry', (entry: yauzl.Entry) => {
      if (entry.fileName.endsWith('/')) return zip.readEntry();
      zip.openReadStream(entry, (e, s) => {
        if (e) return rej(e);
        const parts: Buffer[] = [];
        s!.on('data', (c: Buffer) => parts.push(c));
        s!.on('error', rej);
        s!.on('end', () => {
          out.push({ name: entry.fileName, data: Buffer.concat(parts) });
          zip.readEntry();
        });
      });
    });
    zip.on('end', () => res());
    zip.on('error', rej);
    zip.readEntry();
  });
  return out;
}

async function main(): Promise<void> {
  const [input, output] = process.argv.slice(2);
  if (!input || !output) throw new Error('usage: redact-gha-fixture.ts ORIGINAL.zip OUTPUT.zip');
  const sha = crypto.createHash('sha256').update(fs.readFileSync(input)).digest('hex');
  if (sha !== ORIGINAL_SHA256) throw new Error(`${input}: sha256 ${sha}, expected the original ${ORIGINAL_SHA256}`);
  const members = await readMembers(input);
  const z = new yazl.ZipFile();
  let total = 0;
  for (const m of members) {
    const { out, count } = replaceAll(m.data, Buffer.from(HOST), Buffer.from(REPLACE));
    if (out.length !== m.data.length) throw new Error(`${m.name}: length changed`);
    total += count;
    z.addBuffer(out, m.name, { mtime: new Date(Date.UTC(1980, 0, 1)), mode: 0o100644, compress: true });
    console.log(`${crypto.createHash('sha256').update(out).digest('hex')}  ${m.name}  (${count} replaced, ${out.length} bytes)`);
  }
  z.end();
  await new Promise<void>((resolve, reject) => {
    const w = fs.createWriteStream(output);
    w.on('close', () => resolve());
    w.on('error', reject);
    z.outputStream.pipe(w);
  });
  const outSha = crypto.createHash('sha256').update(fs.readFileSync(output)).digest('hex');
  console.log(`${outSha}  ${output}  (${total} replacements in all)`);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
});
