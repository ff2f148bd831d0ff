// Shrinks a Chromium screenshot (8-bit RGB/RGBA PNG, not interlaced) into a palette PNG: the
// exact colours when there are at most 256, else the nearest of a 6×7×6 colour cube. Screens of
// text and flat colours stay readable at a third of the size (docs/screenshots stay under ~200 KB).
import { deflateSync, inflateSync } from 'node:zlib';

function crcTable() {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) { let c = n; for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1; t[n] = c >>> 0; }
  return t;
}
const CRC = crcTable();
function crc32(buf) { let c = 0xffffffff; for (const b of buf) c = CRC[(c ^ b) & 0xff] ^ (c >>> 8); return (c ^ 0xffffffff) >>> 0; }
function chunk(type, data) {
  const head = Buffer.alloc(8); head.writeUInt32BE(data.length, 0); head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4); crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** The pixels (RGB) of a PNG as Chromium writes it. */
function decode(png) {
  let pos = 8, width = 0, height = 0, type = 0; const idat = [];
  while (pos < png.length) {
    const len = png.readUInt32BE(pos), kind = png.toString('latin1', pos + 4, pos + 8), data = png.subarray(pos + 8, pos + 8 + len);
    if (kind === 'IHDR') { width = data.readUInt32BE(0); height = data.readUInt32BE(4); type = data[9]; if (data[8] !== 8 || data[12] !== 0 || (type !== 2 && type !== 6)) return null; }
    else if (kind === 'IDAT') idat.push(data);
    pos += 12 + len;
  }
  const bpp = type === 6 ? 4 : 3, stride = width * bpp, raw = inflateSync(Buffer.concat(idat));
  const out = Buffer.alloc(width * height * 3), prev = Buffer.alloc(stride), cur = Buffer.alloc(stride);
  for (let y = 0; y < height; y++) {
    const f = raw[y * (stride + 1)], line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let i = 0; i < stride; i++) {
      const a = i >= bpp ? cur[i - bpp] : 0, b = prev[i], c = i >= bpp ? prev[i - bpp] : 0;
      let p = line[i];
      if (f === 1) p += a; else if (f === 2) p += b; else if (f === 3) p += (a + b) >> 1;
      else if (f === 4) { const pa = Math.abs(b - c), pb = Math.abs(a - c), pc = Math.abs(a + b - 2 * c); p += pa <= pb && pa <= pc ? a : pb <= pc ? b : c; }
      cur[i] = p & 0xff;
    }
    for (let x = 0; x < width; x++) for (let k = 0; k < 3; k++) out[(y * width + x) * 3 + k] = cur[x * bpp + k];
    cur.copy(prev);
  }
  return { width, height, rgb: out };
}

export function toPalettePng(png) {
  const img = decode(png);
  if (!img) return png;
  const { width, height, rgb } = img;
  const exact = new Map();
  for (let i = 0; i < rgb.length && exact.size <= 256; i += 3) { const k = (rgb[i] << 16) | (rgb[i + 1] << 8) | rgb[i + 2]; if (!exact.has(k)) exact.set(k, exact.size); }
  const levels = [6, 7, 6];
  const useExact = exact.size <= 256;
  const palette = Buffer.alloc(3 * 256);
  if (useExact) for (const [k, i] of exact) { palette[i * 3] = k >> 16; palette[i * 3 + 1] = (k >> 8) & 0xff; palette[i * 3 + 2] = k & 0xff; }
  else for (let r = 0; r < 6; r++) for (let g = 0; g < 7; g++) for (let b = 0; b < 6; b++) {
    const i = (r * 7 + g) * 6 + b;
    palette[i * 3] = Math.round(r * 255 / 5); palette[i * 3 + 1] = Math.round(g * 255 / 6); palette[i * 3 + 2] = Math.round(b * 255 / 5);
  }
  const raw = Buffer.alloc(height * (width + 1));
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) {
    const i = (y * width + x) * 3;
    const idx = useExact ? exact.get((rgb[i] << 16) | (rgb[i + 1] << 8) | rgb[i + 2])
      : ((Math.round(rgb[i] * (levels[0] - 1) / 255) * 7 + Math.round(rgb[i + 1] * (levels[1] - 1) / 255)) * 6 + Math.round(rgb[i + 2] * (levels[2] - 1) / 255));
    raw[y * (width + 1) + 1 + x] = idx;
  }
  const ihdr = Buffer.alloc(13); ihdr.writeUInt32BE(width, 0); ihdr.writeUInt32BE(height, 4); ihdr[8] = 8; ihdr[9] = 3;
  const colours = useExact ? exact.size : 252;
  return Buffer.concat([png.subarray(0, 8), chunk('IHDR', ihdr), chunk('PLTE', palette.subarray(0, colours * 3)), chunk('IDAT', deflateSync(raw, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
}
