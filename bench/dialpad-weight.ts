// Figure 3: the dialpad's weight on the wire, gzip bytes of the JS and CSS the page loads, against
// JsSIP alone bundled with the same esbuild settings as web/build.ts. Goal: the app adds ≤ 32 KB
// gz on top of JsSIP (which it cannot avoid shipping).
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { buildWeb } from '../web/build';
import type { FigureResult } from './figure';

const KB = 1024;
const GOAL_ADDED_KB = 32;

const gz = (data: Uint8Array | string) => gzipSync(data, { level: 9 }).length;
const kb = (bytes: number) => Math.round((bytes / KB) * 10) / 10;

export async function measureDialpadWeight(): Promise<FigureResult> {
  const scratch = await mkdtemp(join(tmpdir(), 'vra-bench-web-'));
  try {
    const { outDir, files } = await buildWeb({ outDir: scratch, minify: true });
    const html = await readFile(join(outDir, 'index.html'), 'utf8');
    // What the page itself loads: the script and stylesheet index.html names (not the service worker).
    const pageAssets = files.filter((file) => /\.(js|css)$/.test(file) && html.includes(`"${file}"`));
    const sizes = await Promise.all(
      pageAssets.map(async (file) => {
        const data = await readFile(join(outDir, file));
        return { file, bytes: data.length, gzipBytes: gz(data) };
      }),
    );
    const serviceWorker = files.includes('sw.js') ? gz(await readFile(join(outDir, 'sw.js'))) : 0;
    const appGzip = sizes.reduce((sum, s) => sum + s.gzipBytes, 0);
    const jssip = await bundleJsSipAlone();
    const jssipGzip = gz(jssip);
    const addedKb = kb(appGzip - jssipGzip);
    return {
      rows: [
        {
          id: '3',
          title: 'dialpad weight, JS + CSS the page loads',
          unit: 'KB gz',
          measured: kb(appGzip),
          floor: kb(jssipGzip),
          floorLabel: 'JsSIP alone, same esbuild settings',
          ratio: Math.round((appGzip / jssipGzip) * 100) / 100,
          goal: `app adds ≤ ${GOAL_ADDED_KB} KB gz`,
          met: addedKb <= GOAL_ADDED_KB,
          note: `adds ${addedKb} KB gz (${sizes.map((s) => `${s.file.replace(/-[0-9A-Z]+\./i, '.')} ${kb(s.gzipBytes)}`).join(', ')}); service worker ${kb(serviceWorker)} KB gz, loaded apart`,
        },
      ],
      details: {
        assets: sizes,
        serviceWorkerGzipBytes: serviceWorker,
        jssipBytes: jssip.length,
        jssipGzipBytes: jssipGzip,
        gzipLevel: 9,
        kb: KB,
      },
    };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/** JsSIP as the only thing in a browser bundle, built with web/build.ts's settings for the app. */
async function bundleJsSipAlone(): Promise<Uint8Array> {
  const result = await build({
    absWorkingDir: join(__dirname, '..', 'web'),
    stdin: {
      contents: "import * as JsSIP from 'jssip';\n(globalThis as any).JsSIP = JsSIP;\n",
      loader: 'ts',
      resolveDir: join(__dirname, '..', 'web'),
    },
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: ['es2020', 'chrome100', 'firefox100', 'safari15'],
    minify: true,
    write: false,
    legalComments: 'none',
    charset: 'utf8',
    // As the dialpad is built: JsSIP's `debug` replaced by the stand-in, so the floor gets the same saving.
    alias: { debug: join(__dirname, '..', 'web', 'jssip-debug.cjs') },
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'silent',
  });
  return result.outputFiles[0]!.contents;
}
