#!/usr/bin/env node
// Draws the app icon without any download or image library: resources/icons/icon.svg (the design) and
// resources/icons/icon.png (512x512 RGBA, rasterised here with 4x4 supersampling and written with zlib).
// electron-builder derives the macOS .icns and Windows .ico from the PNG. Run: node scripts/make-icons.mjs
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';

const ROOT = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const SIZE = 512;
const BG = [20, 23, 28];
const LENS = [63, 182, 168];
const BAR = [139, 155, 180];
const CALL = [240, 160, 48];

// The design, in 512-unit coordinates, painted in order (later shapes on top).
const SHAPES = [
  { kind: 'rrect', x0: 32, y0: 32, x1: 480, y1: 480, r: 96, color: BG },
  { kind: 'capsule', ax: 150, ay: 196, bx: 318, by: 196, w: 18, color: BAR },
  { kind: 'capsule', ax: 150, ay: 240, bx: 270, by: 240, w: 18, color: BAR },
  { kind: 'capsule', ax: 182, ay: 284, bx: 322, by: 284, w: 18, color: BAR },
  { kind: 'circle', cx: 300, cy: 240, r: 17, color: CALL },
  { kind: 'ring', cx: 236, cy: 240, r: 118, w: 28, color: LENS },
  { kind: 'capsule', ax: 326, ay: 330, bx: 408, by: 412, w: 46, color: LENS },
];

const hex = (c) => '#' + c.map((v) => v.toString(16).padStart(2, '0')).join('');

export function iconSvg() {
  const parts = SHAPES.map((s) => {
    switch (s.kind) {
      case 'rrect':
        return `<rect x="${s.x0}" y="${s.y0}" width="${s.x1 - s.x0}" height="${s.y1 - s.y0}" rx="${s.r}" fill="${hex(s.color)}"/>`;
      case 'capsule':
        return `<line x1="${s.ax}" y1="${s.ay}" x2="${s.bx}" y2="${s.by}" stroke="${hex(s.color)}" stroke-width="${s.w}" stroke-linecap="round"/>`;
      case 'circle':
        return `<circle cx="${s.cx}" cy="${s.cy}" r="${s.r}" fill="${hex(s.color)}"/>`;
      case 'ring':
        return `<circle cx="${s.cx}" cy="${s.cy}" r="${s.r}" fill="none" stroke="${hex(s.color)}" stroke-width="${s.w}"/>`;
    }
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${SIZE}" height="${SIZE}" viewBox="0 0 ${SIZE} ${SIZE}">\n  <title>Runlens</title>\n  ${parts.join('\n  ')}\n</svg>\n`;
}

function inside(s, x, y) {
  switch (s.kind) {
    case 'rrect': {
      const qx = Math.max(s.x0 + s.r - x, 0, x - (s.x1 - s.r));
      const qy = Math.max(s.y0 + s.r - y, 0, y - (s.y1 - s.r));
      return x >= s.x0 && x <= s.x1 && y >= s.y0 && y <= s.y1 && qx * qx + qy * qy <= s.r * s.r;
    }
    case 'capsule': {
      const dx = s.bx - s.ax, dy = s.by - s.ay;
      const t = Math.max(0, Math.min(1, ((x - s.ax) * dx + (y - s.ay) * dy) / (dx * dx + dy * dy)));
      const px = s.ax + t * dx - x, py = s.ay + t * dy - y;
      return px * px + py * py <= (s.w / 2) ** 2;
    }
    case 'circle':
      return (x - s.cx) ** 2 + (y - s.cy) ** 2 <= s.r * s.r;
    case 'ring':
      return Math.abs(Math.hypot(x - s.cx, y - s.cy) - s.r) <= s.w / 2;
  }
  return false;
}

/** RGBA pixels, premultiplied-free: each pixel is the average of 16 samples (transparent outside the shapes). */
export function rasterize(size = SIZE) {
  const px = Buffer.alloc(size * size * 4);
  const k = SIZE / size;
  const N = 4;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let r = 0, g = 0, b = 0, a = 0;
      for (let sy = 0; sy < N; sy++) {
        for (let sx = 0; sx < N; sx++) {
          const ux = (x + (sx + 0.5) / N) * k, uy = (y + (sy + 0.5) / N) * k;
          let c = null;
          for (const s of SHAPES) if (inside(s, ux, uy)) c = s.color;
          if (c) {
            r += c[0];
            g += c[1];
            b += c[2];
            a += 1;
          }
        }
      }
      const o = (y * size + x) * 4;
      if (a) {
        px[o] = Math.round(r / a);
        px[o + 1] = Math.round(g / a);
        px[o + 2] = Math.round(b / a);
        px[o + 3] = Math.round((255 * a) / (N * N));
      }
    }
  }
  return px;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const byte of buf) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

export function encodePng(rgba, size) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // RGBA
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) rgba.copy(raw, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const dir = path.join(ROOT, 'resources', 'icons');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'icon.svg'), iconSvg());
  fs.writeFileSync(path.join(dir, 'icon.png'), encodePng(rasterize(SIZE), SIZE));
  console.log(`make-icons: wrote ${path.relative(ROOT, dir)}/icon.svg and icon.png (${SIZE}x${SIZE})`);
}
