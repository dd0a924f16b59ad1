/**
 * Issue 11 #10: the packaged app's Electron fuses. No Electron binary can be downloaded here, so: the builder
 * configuration names the hook, the hook's fuse configuration is the one promised (every fuse explicit), and the real
 * @electron/fuses flips a synthetic fuse wire (sentinel + version + states, as in Electron's binary) the hook's way.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';

const ROOT = path.resolve(__dirname, '..', '..');
const require_ = createRequire(import.meta.url);
const hook = require_(path.join(ROOT, 'scripts', 'after-pack-fuses.cjs')) as ((ctx: unknown) => Promise<void>) & {
  fuseConfig(arch: string): Record<string | number, unknown>;
  electronBinary(ctx: unknown): string;
};
const fuses = require_('@electron/fuses') as typeof import('@electron/fuses');
const { FuseV1Options } = fuses;

const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
const ENABLE = 0x31, DISABLE = 0x30;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'runlens-fuses-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('Electron fuses in packaging', () => {
  it('electron-builder.yml runs the fuse hook after packing, and the hook file exists', () => {
    const cfg = YAML.parse(fs.readFileSync(path.join(ROOT, 'electron-builder.yml'), 'utf8')) as { afterPack?: string; asar?: boolean };
    expect(cfg.afterPack).toBe('scripts/after-pack-fuses.cjs');
    expect(fs.existsSync(path.join(ROOT, cfg.afterPack!))).toBe(true);
    expect(cfg.asar).toBe(true);
  });

  it('RunAsNode, NODE_OPTIONS and --inspect off; asar integrity and only-load-from-asar on; every fuse explicit', () => {
    const c = hook.fuseConfig('x64');
    expect(c[FuseV1Options.RunAsNode]).toBe(false);
    expect(c[FuseV1Options.EnableNodeOptionsEnvironmentVariable]).toBe(false);
    expect(c[FuseV1Options.EnableNodeCliInspectArguments]).toBe(false);
    expect(c[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(true);
    expect(c[FuseV1Options.OnlyLoadAppFromAsar]).toBe(true);
    expect(c[FuseV1Options.GrantFileProtocolExtraPrivileges]).toBe(false);
    expect(c.strictlyRequireAllFuses).toBe(true);
    expect(hook.fuseConfig('arm64').resetAdHocDarwinSignature).toBe(true);
  });

  it('the hook flips a fuse wire with the real library: every fuse ends in the configured state', async () => {
    const exe = path.join(dir, 'runlens');
    const wire = Buffer.alloc(8, ENABLE); // Electron's defaults: everything on
    fs.writeFileSync(exe, Buffer.concat([Buffer.alloc(64, 0x41), Buffer.from(SENTINEL, 'ascii'), Buffer.from([1, wire.length]), wire, Buffer.alloc(64, 0x42)]));
    const ctx = { appOutDir: dir, electronPlatformName: 'linux', arch: 1, packager: { executableName: 'runlens', appInfo: { productFilename: 'Runlens' } } };
    expect(hook.electronBinary(ctx)).toBe(exe);
    await hook(ctx);
    const now = (await fuses.getCurrentFuseWire(exe)) as unknown as Record<number, number>;
    const want = hook.fuseConfig('x64');
    for (let i = 0; i < 8; i++) expect(now[i], `fuse ${FuseV1Options[i]}`).toBe(want[i] ? ENABLE : DISABLE);
    expect(now[FuseV1Options.RunAsNode]).toBe(DISABLE);
  });

  it('names the binary per platform', () => {
    const base = { appOutDir: '/out', arch: 1, packager: { executableName: 'runlens', appInfo: { productFilename: 'Runlens' } } };
    expect(hook.electronBinary({ ...base, electronPlatformName: 'darwin' })).toBe(path.join('/out', 'Runlens.app'));
    expect(hook.electronBinary({ ...base, electronPlatformName: 'win32' })).toBe(path.join('/out', 'Runlens.exe'));
  });
});
