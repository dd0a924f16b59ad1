/**
 * electron-builder.yml checked by electron-builder's own loader and schema, the files it names, and the icon the
 * script draws (a real PNG: signature, chunk CRCs, 512x512 RGBA, pixels that inflate to the right size).
 */
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { NODE_ENTRIES, NODE_EXTERNALS } from '../../scripts/build-node.mjs';

const ROOT = path.resolve(__dirname, '..', '..');
const require_ = createRequire(import.meta.url);

function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const b of buf) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  }
  return (c ^ 0xffffffff) >>> 0;
}

function readPng(file: string) {
  const buf = fs.readFileSync(file);
  expect(buf.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe(true);
  const chunks: { type: string; data: Buffer }[] = [];
  for (let o = 8; o < buf.length; ) {
    const len = buf.readUInt32BE(o);
    const type = buf.subarray(o + 4, o + 8).toString('ascii');
    const data = buf.subarray(o + 8, o + 8 + len);
    expect(buf.readUInt32BE(o + 8 + len), `${type} CRC`).toBe(crc32(buf.subarray(o + 4, o + 8 + len)));
    chunks.push({ type, data });
    o += 12 + len;
  }
  const ihdr = chunks[0]!;
  return {
    types: chunks.map((c) => c.type),
    width: ihdr.data.readUInt32BE(0),
    height: ihdr.data.readUInt32BE(4),
    depth: ihdr.data[8],
    colorType: ihdr.data[9],
    raw: zlib.inflateSync(Buffer.concat(chunks.filter((c) => c.type === 'IDAT').map((c) => c.data))),
  };
}

describe('packaging', () => {
  it('electron-builder.yml passes electron-builder’s schema and has the targets we ship', async () => {
    const { getConfig, validateConfiguration } = require_('app-builder-lib/out/util/config/config');
    const { DebugLogger } = require_('builder-util');
    const cfg = await getConfig(ROOT, path.join(ROOT, 'electron-builder.yml'), null);
    await validateConfiguration(cfg, new DebugLogger(false));
    expect(cfg.productName).toBe('Runlens');
    expect(cfg.appId).toMatch(/^[a-z0-9.-]+$/);
    expect(cfg.linux.target).toEqual(['AppImage', 'deb']);
    expect(cfg.mac.target).toEqual(['dmg']);
    expect(cfg.win.target).toEqual(['nsis']);
    expect(cfg.files[0].filter).toEqual(expect.arrayContaining(['package.json', 'dist/**/*', 'resources/icons/**/*']));
    expect(cfg.asarUnpack).toEqual(expect.arrayContaining(['node_modules/better-sqlite3/**/*']));
    // every module the build leaves external (native code loaded from its own folder) is unpacked from app.asar
    for (const ext of NODE_EXTERNALS.filter((m) => m !== 'electron')) {
      const dir = ext.endsWith('/*') ? ext.slice(0, -2) : ext;
      expect(cfg.asarUnpack, ext).toContain(`node_modules/${dir}/**/*`);
    }
    expect(cfg.extraResources).toEqual([{ from: 'resources/sample-bundle', to: 'sample-bundle' }]);
    for (const p of [cfg.icon, cfg.linux.icon, cfg.mac.icon, cfg.win.icon]) expect(fs.existsSync(path.join(ROOT, p)), p).toBe(true);
  });

  it('package.json points Electron at the bundled main process', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    expect(pkg.main).toBe('dist/electron/main.cjs');
    expect(pkg.scripts.start).toBe('node scripts/start.mjs');
    // the build bundles main and preload to the files package.json and the window load
    expect(NODE_ENTRIES.main).toBe('electron/main/main.ts');
    expect(NODE_ENTRIES.preload).toBe('electron/main/preload.ts');
    for (const entry of Object.values(NODE_ENTRIES)) expect(fs.existsSync(path.join(ROOT, entry)), entry).toBe(true);
  });

  it('the icon is a 512x512 RGBA PNG with an opaque middle and transparent corners', () => {
    const png = readPng(path.join(ROOT, 'resources', 'icons', 'icon.png'));
    expect(png.types[0]).toBe('IHDR');
    expect(png.types.at(-1)).toBe('IEND');
    expect([png.width, png.height, png.depth, png.colorType]).toEqual([512, 512, 8, 6]);
    expect(png.raw.length).toBe(512 * (512 * 4 + 1));
    const alpha = (x: number, y: number) => png.raw[y * (512 * 4 + 1) + 1 + x * 4 + 3];
    expect(alpha(0, 0)).toBe(0);
    expect(alpha(511, 511)).toBe(0);
    expect(alpha(256, 256)).toBe(255);
    const svg = fs.readFileSync(path.join(ROOT, 'resources', 'icons', 'icon.svg'), 'utf8');
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" width="512" height="512"/);
  });

  it('the icon files are what scripts/make-icons.mjs draws', async () => {
    const script = pathToFileURL(path.join(ROOT, 'scripts', 'make-icons.mjs')).href;
    const mod = (await import(script)) as { iconSvg(): string; rasterize(n: number): Buffer; encodePng(p: Buffer, n: number): Buffer };
    expect(fs.readFileSync(path.join(ROOT, 'resources', 'icons', 'icon.svg'), 'utf8')).toBe(mod.iconSvg());
    expect(fs.readFileSync(path.join(ROOT, 'resources', 'icons', 'icon.png')).equals(mod.encodePng(mod.rasterize(512), 512))).toBe(true);
  });
});
