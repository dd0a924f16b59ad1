/**
 * Playwright fixtures for the served app, instead of the same set-up in every spec:
 *   `watch`      (automatic) fails the test on a page error or a CSP violation in `page`, checked after the test;
 *   `ownServer`  a `runlens serve` of the sample bundle for this test alone (its own data folder), stopped after;
 *   `variant`    a copy of the sample bundle with its marks renamed (repository, domains, the curl process), as a
 *                .tar.gz a page can upload: two investigations that cannot be told apart except by their evidence.
 */
import { test as base } from '@playwright/test';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createGzip } from 'node:zlib';
import { pack } from 'tar-stream';
import { watchPage } from './app';
import { ROOT, startServeProcess, type ServeProcess } from './serve-process';

export const SAMPLE = path.join(ROOT, 'resources', 'sample-bundle');

export interface Variant {
  /** The marker in its evidence: domains `telemetry.<mark>.example`, process `curl-<mark>`, repository `acme/<mark>`. */
  mark: string;
  repository: string;
  domain: string;
  process: string;
  /** The bundle as one .tar.gz (what the page uploads). */
  archive: { name: string; mimeType: string; buffer: Buffer };
}

function files(dir: string, rel = ''): string[] {
  return fs.readdirSync(path.join(dir, rel), { withFileTypes: true }).flatMap((e) => {
    const r = rel ? `${rel}/${e.name}` : e.name;
    return e.isDirectory() ? files(dir, r) : e.isFile() ? [r] : [];
  });
}

async function makeVariant(mark: string): Promise<Variant> {
  const tar = pack();
  const chunks: Buffer[] = [];
  const gz = tar.pipe(createGzip());
  gz.on('data', (c: Buffer) => chunks.push(c));
  const ended = new Promise((r) => gz.on('end', r));
  for (const rel of files(SAMPLE)) {
    const text = fs
      .readFileSync(path.join(SAMPLE, rel), 'utf8')
      .replaceAll('exfil', mark)
      .replaceAll('/usr/bin/curl', `/usr/bin/curl-${mark}`)
      .replaceAll('"curl"', `"curl-${mark}"`)
      .replaceAll('acme/web', `acme/${mark}`);
    tar.entry({ name: `${mark}-bundle/${rel}` }, text);
  }
  tar.finalize();
  await ended;
  return {
    mark,
    repository: `acme/${mark}`,
    domain: `telemetry.${mark}.example`,
    process: `curl-${mark}`,
    archive: { name: `${mark}-bundle.tar.gz`, mimeType: 'application/gzip', buffer: Buffer.concat(chunks) },
  };
}

export const test = base.extend<{
  watch: { check(): void };
  ownServer: ServeProcess;
  variant: (mark: string) => Promise<Variant>;
}>({
  watch: [
    async ({ page }, use) => {
      const w = watchPage(page);
      await use(w);
      w.check();
    },
    { auto: true },
  ],
  // eslint-disable-next-line no-empty-pattern -- Playwright fixtures name their dependencies in the first argument
  ownServer: async ({}, use) => {
    const data = fs.mkdtempSync(path.join(os.tmpdir(), 'runlens-e2e-own-'));
    const serve = await startServeProcess(SAMPLE, { RUNLENS_DATA_DIR: data });
    try {
      await use(serve);
    } finally {
      await serve.stop();
      fs.rmSync(data, { recursive: true, force: true });
    }
  },
  // eslint-disable-next-line no-empty-pattern -- as above
  variant: async ({}, use) => {
    await use(makeVariant);
  },
});

export { expect } from '@playwright/test';
