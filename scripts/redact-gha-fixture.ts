/**
 * Reproduces the redacted real GitHub logs in test/fixtures/gha/ from their originals (test/fixtures/SOURCES.md,
 * "Real GitHub Actions log archives"); the original is recognised by its SHA-256:
 *
 *   git -C <clone of morgaesis/wishapp> show ebe9fb05d277291109593148e1ed1aaedcf7665f:run_log.zip > run_log.zip
 *   npx tsx scripts/redact-gha-fixture.ts run_log.zip test/fixtures/gha/wishapp_run_log_redacted.zip
 *
 *   npx tsx scripts/redact-gha-fixture.ts menugreen-log-tail.txt test/fixtures/gha/menugreen_composite_job_log.txt
 *   (the tail of EXE201-MenuGreen/MenuGreenSystem log.txt as SOURCES.md describes it)
 *
 *   git -C <clone of lksay3d/testci-common-email> show "9eb6e34638f614df6b99c3b7032fc230b2ef3df5:build/4_Build with Maven.txt" > maven.txt
 *   npx tsx scripts/redact-gha-fixture.ts maven.txt "test/fixtures/gha/lksay3d_build/4_Build with Maven.txt"
 *
 *   git -C <clone of Eay5/OPENWRT-HOME> show 9d5cfcdb0a505902beaed50ad2e2891339e2259d:0_build.txt > eay5_0_build.txt
 *   npx tsx scripts/redact-gha-fixture.ts eay5_0_build.txt test/fixtures/gha/openwrt-home_0_build_redacted.txt
 *
 *   git -C <clone of boozegar/anthroshim> show 40bc8239c28794172dd1e02b7fafa91ec9171702:0_build.txt > anthroshim_0_build.txt
 *   npx tsx scripts/redact-gha-fixture.ts anthroshim_0_build.txt test/fixtures/gha/anthroshim_0_build_redacted.txt
 *
 *   git -C <clone of mirzadham/MIMOS> show 231ffce76a5e84851250dbfb2af6a98797c09c2d:logs_1.zip > mimos_logs_1.zip
 *   npx tsx scripts/redact-gha-fixture.ts mimos_logs_1.zip test/fixtures/gha/mimos_logs_1_redacted.zip
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
import { createRequire } from 'node:module';
import { zipMembers } from './zip-members';

/** yazl ships no types (as in test/integration/import-helpers.ts): the part of it used here. */
interface YazlZip {
  addBuffer(buf: Buffer, name: string, opts?: { mode?: number; compress?: boolean; mtime?: Date }): void;
  end(): void;
  outputStream: NodeJS.ReadableStream;
}
const yazl = createRequire(import.meta.url)('yazl') as { ZipFile: new () => YazlZip };

/** Per original (by SHA-256): a zip or a text file, and the registry hosts (built from parts so this file does not
 * spell them) with their same-length documentation-domain replacements. */
const ORIGINALS: Record<string, { kind: 'zip' | 'text'; replace: [string, string][] }> = {
  // morgaesis/wishapp run_log.zip: the Rust crate registry's host
  '6cec093646293a875791f700c231bd7d24491144091dc6829918bff412024485': {
    kind: 'zip',
    replace: [[['crates', 'io'].join('.'), 'pkgs.test']],
  },
  // EXE201-MenuGreen/MenuGreenSystem log.txt, its tail: the container image registry's host
  '1848c3c0ffff52d14373eda51980bc6de59833cab2fbb9c25a0d3a67a8243bfa': {
    kind: 'text',
    replace: [[['docker', 'io'].join('.'), 'dock.test']],
  },
  // Eay5/OPENWRT-HOME 0_build.txt: the Ubuntu package mirror's host and the container registry's host (apt's
  // `docker.io` package name spells it)
  'a9a6fc0cb4f93c01a7d3eb6d7bd15d70598f3f8f0727d7319ac3fa9da125d977': {
    kind: 'text',
    replace: [
      [['azure', 'archive', 'ubuntu', 'com'].join('.'), 'azure.apt-mirror.example'],
      [['docker', 'io'].join('.'), 'dock.test'],
    ],
  },
  // boozegar/anthroshim 0_build.txt: the container registries' hosts (Docker's, GitHub's) and pip's documentation host
  'a309cc60c2ada918fbecb0610f4bc8ec77ea5f472fa1d4faeaaeedfd51c0e49e': {
    kind: 'text',
    replace: [
      [['docker', 'io'].join('.'), 'dock.test'],
      [['ghcr', 'io'].join('.'), 'cr.test'],
      [['pip', 'pypa', 'io'].join('.'), 'pipdoc.test'],
    ],
  },
  // mirzadham/MIMOS logs_1.zip: the container registries' hosts (Docker's, GitHub's) in a Docker action's image build
  '04f220e2321bc269504ba95a5a1ecbdf216f4e958e7f5471d98cc640e26c36d5': {
    kind: 'zip',
    replace: [
      [['docker', 'io'].join('.'), 'dock.test'],
      [['ghcr', 'io'].join('.'), 'cr.test'],
    ],
  },
  // lksay3d/testci-common-email build/4_Build with Maven.txt: the Java package registry's host
  '43ec4571fc1bad76b1f93db0fdb5ac3eaedca2747fafb4d581bed1f7a96deffb': {
    kind: 'text',
    replace: [[['repo', 'maven', 'apache', 'org'].join('.'), 'repo.example-mvn.test']],
  },
};

function replaceAll(buf: Buffer, pairs: [string, string][]): { out: Buffer; count: number } {
  const out = Buffer.from(buf);
  let count = 0;
  for (const [a, b] of pairs) {
    const from = Buffer.from(a);
    const to = Buffer.from(b);
    if (from.length !== to.length) throw new Error('the replacement must keep the byte length');
    for (let i = out.indexOf(from); i !== -1; i = out.indexOf(from, i + to.length)) {
      to.copy(out, i);
      count++;
    }
  }
  return { out, count };
}

async function main(): Promise<void> {
  const [input, output] = process.argv.slice(2);
  if (!input || !output) throw new Error('usage: redact-gha-fixture.ts ORIGINAL.zip OUTPUT.zip');
  const sha = crypto.createHash('sha256').update(fs.readFileSync(input)).digest('hex');
  const original = ORIGINALS[sha];
  if (!original) throw new Error(`${input}: sha256 ${sha} is none of the originals this script knows`);
  if (original.kind === 'text') {
    const { out, count } = replaceAll(fs.readFileSync(input), original.replace);
    fs.writeFileSync(output, out);
    console.log(
      `${crypto.createHash('sha256').update(out).digest('hex')}  ${output}  (${count} replaced, ${out.length} bytes)`,
    );
    return;
  }
  const members = await zipMembers(input);
  const z = new yazl.ZipFile();
  let total = 0;
  for (const m of members) {
    const { out, count } = replaceAll(m.data, original.replace);
    if (out.length !== m.data.length) throw new Error(`${m.name}: length changed`);
    total += count;
    z.addBuffer(out, m.name, { mtime: new Date(Date.UTC(1980, 0, 1)), mode: 0o100644, compress: true });
    console.log(
      `${crypto.createHash('sha256').update(out).digest('hex')}  ${m.name}  (${count} replaced, ${out.length} bytes)`,
    );
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
