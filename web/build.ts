// Builds the dialpad into a static folder for Blob Storage static websites (or any static host):
// index.html with a strict CSP (core/static-site/dialpad-csp.ts: its connect-src origins are filled in where it
// is published) and no inline script, content-hashed JS and CSS, a web app manifest,
// icons and a service worker that caches only the shell. Same input → byte-identical output.
import { createHash } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { build } from 'esbuild';
import { DIALPAD_CONTENT_SECURITY_POLICY } from '../core/static-site/dialpad-csp';
import { iconPng, iconSvg } from './build/icons';

export interface BuildWebOptions {
  /** Output folder; default `web/dist`. It is emptied first. */
  outDir?: string;
  /** Minify JS and CSS; default true. */
  minify?: boolean;
  /**
   * Builds for browser tests and benchmarks: the dialpad exposes `window.__dialpad` (its live peer connection,
   * for getStats()). Default false, and a release never sets it: the minified bundle then has no trace of it.
   */
  testHooks?: boolean;
}

export interface BuildWebResult {
  outDir: string;
  /** Every written file, relative to outDir, sorted. */
  files: string[];
}

const WEB_ROOT = __dirname;
const APP_NAME = 'Voice Reference Dialpad';
const THEME_COLOR = '#0f766e';

function hashOf(contents: Array<string | Uint8Array>): string {
  const hash = createHash('sha256');
  for (const content of contents) hash.update(content);
  return hash.digest('hex').slice(0, 12);
}

async function bundleApp(minify: boolean, testHooks: boolean): Promise<Map<string, Uint8Array>> {
  const result = await build({
    absWorkingDir: WEB_ROOT,
    entryPoints: { app: 'src/main.tsx' },
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: ['es2020', 'chrome100', 'firefox100', 'safari15'],
    jsx: 'automatic',
    jsxImportSource: 'preact',
    minify,
    entryNames: '[name]-[hash]',
    outdir: 'dist-virtual',
    write: false,
    legalComments: 'none',
    charset: 'utf8',
    // JsSIP's logging package, replaced by a stand-in that keeps its localStorage switch (web/jssip-debug.cjs).
    alias: { debug: path.join(WEB_ROOT, 'jssip-debug.cjs') },
    // __DIALPAD_TEST_HOOKS__ is read in src/phone/debug-handle.ts; `false` lets minification drop the handle.
    define: { 'process.env.NODE_ENV': '"production"', __DIALPAD_TEST_HOOKS__: JSON.stringify(testHooks) },
    logLevel: 'silent',
  });
  const files = new Map<string, Uint8Array>();
  for (const output of result.outputFiles) files.set(path.basename(output.path), output.contents);
  return files;
}

async function bundleServiceWorker(minify: boolean, shellFiles: string[], cacheName: string): Promise<Uint8Array> {
  const result = await build({
    absWorkingDir: WEB_ROOT,
    entryPoints: ['src/service-worker.ts'],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: ['es2020'],
    minify,
    write: false,
    outfile: 'sw.js',
    legalComments: 'none',
    define: { __SHELL_FILES__: JSON.stringify(shellFiles), __CACHE_NAME__: JSON.stringify(cacheName) },
    logLevel: 'silent',
  });
  return result.outputFiles[0]!.contents;
}

function indexHtml(scriptFile: string, styleFile: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover">
<meta http-equiv="Content-Security-Policy" content="${DIALPAD_CONTENT_SECURITY_POLICY}">
<meta name="referrer" content="no-referrer">
<meta name="theme-color" content="${THEME_COLOR}">
<meta name="description" content="Call any phone number from your browser.">
<title>Dialpad · Voice Reference App</title>
<link rel="manifest" href="manifest.webmanifest">
<link rel="icon" href="icon.svg" type="image/svg+xml">
<link rel="apple-touch-icon" href="icon-192.png">
<link rel="stylesheet" href="${styleFile}">
<script defer src="${scriptFile}"></script>
</head>
<body>
<div id="app"></div>
<noscript>The dialpad needs JavaScript.</noscript>
</body>
</html>
`;
}

function manifest(): string {
  const icons = [
    { src: 'icon.svg', sizes: 'any', type: 'image/svg+xml' },
    { src: 'icon-192.png', sizes: '192x192', type: 'image/png' },
    { src: 'icon-512.png', sizes: '512x512', type: 'image/png' },
    { src: 'icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
  ];
  const body = {
    name: APP_NAME,
    short_name: 'Dialpad',
    description: 'Call any phone number from your browser or phone.',
    id: './',
    start_url: './',
    scope: './',
    display: 'standalone',
    orientation: 'portrait',
    background_color: '#f6f7f9',
    theme_color: THEME_COLOR,
    icons,
  };
  return `${JSON.stringify(body, null, 2)}\n`;
}

export async function buildWeb(options: BuildWebOptions = {}): Promise<BuildWebResult> {
  const outDir = path.resolve(options.outDir ?? path.join(WEB_ROOT, 'dist'));
  const minify = options.minify ?? true;
  const files = new Map<string, string | Uint8Array>();

  const bundle = await bundleApp(minify, options.testHooks ?? false);
  const scriptFile = [...bundle.keys()].find((name) => name.endsWith('.js'));
  const styleFile = [...bundle.keys()].find((name) => name.endsWith('.css'));
  if (!scriptFile || !styleFile) throw new Error('web build: esbuild produced no app JS or CSS');
  for (const [name, contents] of bundle) files.set(name, contents);

  files.set('index.html', indexHtml(scriptFile, styleFile));
  files.set('manifest.webmanifest', manifest());
  files.set('icon.svg', iconSvg());
  files.set('icon-192.png', iconPng(192));
  files.set('icon-512.png', iconPng(512));
  files.set('icon-maskable-512.png', iconPng(512, true));

  // The cache name changes whenever any shell file changes, so a new deploy replaces the old shell.
  const shellFiles = [...files.keys()].sort();
  const cacheName = `dialpad-shell-${hashOf(shellFiles.map((name) => files.get(name)!))}`;
  files.set('sw.js', await bundleServiceWorker(minify, ['./', ...shellFiles], cacheName));

  await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });
  const written = [...files.keys()].sort();
  for (const name of written) await writeFile(path.join(outDir, name), files.get(name)!);
  return { outDir, files: written };
}

if (require.main === module) {
  buildWeb().then(
    (result) => {
      console.log(`web build: ${result.files.length} files in ${path.relative(process.cwd(), result.outDir) || '.'}`);
      for (const file of result.files) console.log(`  ${file}`);
    },
    (error: unknown) => {
      console.error('web build failed:', error);
      process.exitCode = 1;
    },
  );
}
