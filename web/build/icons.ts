// The app icon, drawn in code so the build needs no binary assets and stays deterministic:
// a rounded teal square with the 3×4 dot grid of a dialpad. SVG for browsers that take it,
// PNG (192, 512, maskable) because install prompts on Android still want raster icons.
import { deflateSync } from 'node:zlib';

const BACKGROUND = [0x0f, 0x76, 0x6e] as const; // --brand in styles.css
const DOT = [0xff, 0xff, 0xff] as const;
const GRID_COLUMNS = [0.32, 0.5, 0.68];
const GRID_ROWS = [0.26, 0.42, 0.58, 0.74];
const DOT_RADIUS = 0.062;

/** Dots of a dialpad: 3×3 digits plus the lone 0 in the middle of the last row. */
function dotCentres(): Array<[number, number]> {
  const centres: Array<[number, number]> = [];
  for (const y of GRID_ROWS.slice(0, 3)) for (const x of GRID_COLUMNS) centres.push([x, y]);
  centres.push([GRID_COLUMNS[1]!, GRID_ROWS[3]!]);
  return centres;
}

export function iconSvg(): string {
  const dots = dotCentres()
    .map(([x, y]) => `<circle cx="${x * 512}" cy="${y * 512}" r="${DOT_RADIUS * 512}"/>`)
    .join('');
  return (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 512 512">' +
    '<rect width="512" height="512" rx="112" fill="#0f766e"/>' +
    `<g fill="#fff">${dots}</g></svg>\n`
  );
}

/** Coverage in [0,1] of a shape whose signed distance (in pixels) is `distance`: one-pixel anti-aliasing. */
function coverage(distance: number): number {
  return Math.min(1, Math.max(0, 0.5 - distance));
}

function roundedSquareDistance(x: number, y: number, size: number, radius: number): number {
  const half = size / 2;
  const qx = Math.abs(x - half) - (half - radius);
  const qy = Math.abs(y - half) - (half - radius);
  const outside = Math.hypot(Math.max(qx, 0), Math.max(qy, 0));
  return outside + Math.min(Math.max(qx, qy), 0) - radius;
}

/**
 * Renders the icon as RGBA pixels. `maskable` fills the whole square (the OS applies its own mask)
 * and shrinks the grid into the 80 % safe zone.
 */
function renderPixels(size: number, maskable: boolean): Buffer {
  const pixels = Buffer.alloc(size * size * 4);
  const scale = maskable ? 0.8 : 1;
  const dots = dotCentres().map(([x, y]) => [(0.5 + (x - 0.5) * scale) * size, (0.5 + (y - 0.5) * scale) * size]);
  const dotRadius = DOT_RADIUS * scale * size;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      const x = px + 0.5;
      const y = py + 0.5;
      const backgroundAlpha = maskable ? 1 : coverage(roundedSquareDistance(x, y, size, size * 0.22));
      let dotAlpha = 0;
      for (const [cx, cy] of dots) dotAlpha = Math.max(dotAlpha, coverage(Math.hypot(x - cx!, y - cy!) - dotRadius));
      const offset = (py * size + px) * 4;
      for (let channel = 0; channel < 3; channel++) {
        pixels[offset + channel] = Math.round(BACKGROUND[channel]! * (1 - dotAlpha) + DOT[channel]! * dotAlpha);
      }
      pixels[offset + 3] = Math.round(255 * backgroundAlpha);
    }
  }
  return pixels;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(data: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of data) crc = CRC_TABLE[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

export function iconPng(size: number, maskable = false): Buffer {
  const pixels = renderPixels(size, maskable);
  const rows = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    rows[y * (size * 4 + 1)] = 0; // filter type "none" per scanline
    pixels.copy(rows, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // colour type RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', header),
    pngChunk('IDAT', deflateSync(rows, { level: 9 })),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}
