// Content-Type and Cache-Control for each dialpad file on the static website.
// Blob Storage serves whatever Content-Type the blob was uploaded with, so a wrong one breaks the page
// (a script served as octet-stream is refused under the dialpad's strict CSP and nosniff).

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
  '.wav': 'audio/wav',
  '.mp3': 'audio/mpeg',
};

export function contentTypeFor(path: string): string {
  const dot = path.lastIndexOf('.');
  return (dot >= 0 && CONTENT_TYPES[path.slice(dot).toLowerCase()]) || 'application/octet-stream';
}

/** esbuild's "[name]-[hash]" (8 base32 capitals, as web/build.ts emits) or a hex digest of 8+ characters. */
const CONTENT_HASHED = /[.-](?:[A-Z2-7]{8}|[0-9a-f]{8,})\.[a-z0-9]+$/;

/**
 * Content-hashed assets (app-PEEXJT6I.js, app.3f2a9c1b7d4e.js) never change, so browsers may keep them for a year.
 * Everything else (index.html, config.json, the service worker, the manifest) must be revalidated on
 * every load, or a new release would be hidden behind a stale page that points at old assets.
 */
export function cacheControlFor(path: string): string {
  const name = path.slice(path.lastIndexOf('/') + 1);
  return CONTENT_HASHED.test(name) ? 'public, max-age=31536000, immutable' : 'no-cache';
}
