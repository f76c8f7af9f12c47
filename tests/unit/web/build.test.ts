import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { buildWeb, type BuildWebResult } from '../../../web/build';

describe('buildWeb', () => {
  let workDir: string;
  let first: BuildWebResult;
  const read = (name: string, result = first) => readFile(path.join(result.outDir, name), 'utf8');

  before(async () => {
    workDir = await mkdtemp(path.join(tmpdir(), 'web-build-'));
    first = await buildWeb({ outDir: path.join(workDir, 'a') });
  });
  after(() => rm(workDir, { recursive: true, force: true }));

  it('writes the shell: hashed JS and CSS, index, manifest, icons and a service worker', () => {
    assert.ok(
      first.files.some((file) => /^app-[A-Z0-9]+\.js$/.test(file)),
      first.files.join(),
    );
    assert.ok(
      first.files.some((file) => /^app-[A-Z0-9]+\.css$/.test(file)),
      first.files.join(),
    );
    for (const file of ['index.html', 'manifest.webmanifest', 'sw.js', 'icon.svg', 'icon-192.png', 'icon-512.png']) {
      assert.ok(first.files.includes(file), file);
    }
    assert.ok(!first.files.includes('config.json'), 'config.json is written per deployment, never built in');
  });

  it('is deterministic: the same input gives byte-identical output', async () => {
    const second = await buildWeb({ outDir: path.join(workDir, 'b') });
    assert.deepEqual(second.files, first.files);
    for (const file of first.files) {
      const [a, b] = await Promise.all([
        readFile(path.join(first.outDir, file)),
        readFile(path.join(second.outDir, file)),
      ]);
      assert.equal(createHash('sha256').update(a).digest('hex'), createHash('sha256').update(b).digest('hex'), file);
    }
  });

  it('serves index.html with a strict CSP and no inline script or style', async () => {
    const html = await read('index.html');
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1];
    assert.ok(csp, 'CSP meta present');
    assert.match(csp, /script-src 'self'(;|$)/);
    assert.match(csp, /object-src 'none'/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
    // connect-src names no scheme or wildcard: only the marker the publishing host replaces with its origins.
    assert.match(csp, /connect-src 'self' 'dialpad-connect-origins';/);
    assert.doesNotMatch(csp, /(^|\s)(https|wss|http|ws):(\s|;|$)|\*/);
    for (const script of html.match(/<script[^>]*>[\s\S]*?<\/script>/g) ?? []) {
      assert.match(script, /^<script defer src="app-[A-Z0-9]+\.js"><\/script>$/, 'only external scripts');
    }
    assert.doesNotMatch(html, /<style|style="/);
    const scriptFile = first.files.find((file) => file.endsWith('.js') && file.startsWith('app-'));
    assert.ok(html.includes(`src="${scriptFile}"`));
  });

  it('has an installable manifest whose icons exist', async () => {
    const manifest = JSON.parse(await read('manifest.webmanifest')) as {
      display: string;
      start_url: string;
      icons: Array<{ src: string; sizes: string }>;
    };
    assert.equal(manifest.display, 'standalone');
    assert.equal(manifest.start_url, './');
    assert.ok(manifest.icons.some((icon) => icon.sizes === '192x192'));
    assert.ok(manifest.icons.some((icon) => icon.sizes === '512x512'));
    for (const icon of manifest.icons) assert.ok(first.files.includes(icon.src), icon.src);
    const png = await readFile(path.join(first.outDir, 'icon-192.png'));
    assert.equal(png.subarray(1, 4).toString('ascii'), 'PNG');
    assert.equal(png.readUInt32BE(16), 192, 'width');
  });

  it('caches only the shell in the service worker, never /api or config.json', async () => {
    const sw = await read('sw.js');
    assert.match(sw, /\/api\//, 'the /api exclusion is in the worker');
    const shellList = /\["\.\/"(,"[^"]+")*\]/.exec(sw)?.[0];
    assert.ok(shellList, 'shell list inlined');
    const shell = JSON.parse(shellList) as string[];
    assert.ok(shell.includes('index.html'));
    assert.ok(!shell.includes('config.json'));
    assert.ok(!shell.includes('sw.js'));
  });

  it('has no browser-test hook unless asked for one (window.__dialpad is for test builds only)', async () => {
    const scripts = async (result: BuildWebResult) =>
      (await Promise.all(result.files.filter((f) => f.endsWith('.js')).map((f) => read(f, result)))).join('\n');
    assert.doesNotMatch(await scripts(first), /__dialpad/, 'the release build (buildWeb defaults)');
    const withHooks = await buildWeb({ outDir: path.join(workDir, 'hooks'), testHooks: true });
    assert.match(await scripts(withHooks), /__dialpad/, 'a testHooks build exposes it');
  });

  it('ships no secrets or source maps and stays small', async () => {
    assert.ok(!first.files.some((file) => file.endsWith('.map')));
    const js = await readFile(
      path.join(
        first.outDir,
        first.files.find((file) => /^app-.*\.js$/.test(file))!,
      ),
    );
    assert.doesNotMatch(js.toString('utf8'), /AccountKey=|APP_SECRET|CATAPULT_API_SECRET/);
    // JsSIP alone is about 56 KB gzipped; the app's own code must add at most 26 KB on top (25 KB until the
    // softphone features, both providers' connectors and the words for the app's call limits met in one bundle).
    assert.ok(gzipSync(js).length < 56_000 + 26_000, `app bundle ${gzipSync(js).length} B gzipped`);
  });
});
