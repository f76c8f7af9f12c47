// npm run package: the release zip is reproducible, holds what Azure needs and nothing else, and the
// unpacked bundle runs on the local host (dev/local-host.ts with appRoot, through the emulated worker
// API): its registrations answer /api/health against Azurite and the Catapult sandbox, and its
// start-up hook publishes the bundled dialpad.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { BlobServiceClient } from '@azure/storage-blob';
import { startAzurite, type RunningAzurite } from '../../../dev/azurite';
import { loadFunctionApp } from '../../../dev/function-registry';
import { startLocalHost, type LocalHost } from '../../../dev/local-host';
import { startStack, type Stack } from '../../../dev/stack';
import { BUNDLE_PATH, LAZY_PACKAGES, buildPackage } from '../../../scripts/package';
import { readZip } from '../../../scripts/package/zip-reader';
import type { HealthResponse } from '../../../core/api-types';
import { CONNECT_ORIGINS_MARKER, withConnectOrigins } from '../../../core/static-site/dialpad-csp';
import { dialpadConnectUrls } from '../../../core/static-site/dialpad-connect-urls';

describe('release package', () => {
  let work: string;
  let zip: Buffer;
  let appRoot: string;
  let entries: ReturnType<typeof readZip>;

  before(async () => {
    work = await mkdtemp(join(tmpdir(), 'release-package-'));
    const first = await buildPackage({ outFile: join(work, 'a', 'voice-reference-app.zip') });
    zip = await readFile(first.outFile);
    entries = readZip(zip);
    appRoot = join(work, 'unpacked');
    for (const entry of entries) {
      await mkdir(dirname(join(appRoot, entry.path)), { recursive: true });
      await writeFile(join(appRoot, entry.path), entry.data);
    }
  });
  after(async () => {
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('is byte-identical when built twice', async () => {
    const second = await buildPackage({ outFile: join(work, 'b', 'voice-reference-app.zip') });
    assert.ok((await readFile(second.outFile)).equals(zip), 'two builds of the same tree differ');
  });

  it('holds host.json, a package.json whose main is the bundle, the bundle and the dialpad, and nothing else', async () => {
    const paths = entries.map((e) => e.path);
    const pkg = JSON.parse(entries.find((e) => e.path === 'package.json')!.data.toString('utf8')) as {
      main: string;
      dependencies: object;
    };
    assert.equal(pkg.main, BUNDLE_PATH);
    assert.deepEqual(pkg.dependencies, {}, 'everything is bundled: no node_modules to ship');
    assert.ok(paths.includes(BUNDLE_PATH));
    assert.deepEqual(
      JSON.parse(entries.find((e) => e.path === 'host.json')!.data.toString('utf8')),
      JSON.parse(await readFile(join(__dirname, '..', '..', '..', 'host.json'), 'utf8')),
    );
    assert.ok(paths.includes('dialpad/index.html'));
    assert.ok(
      paths.some((p) => /^dialpad\/.+\.js$/.test(p)),
      'the dialpad script',
    );
    // the packages the app loads on first use sit beside the bundle, one file each (cold start)
    const lazy = Object.values(LAZY_PACKAGES);
    for (const path of lazy) assert.ok(paths.includes(path), `${path} is in the package`);
    const others = paths.filter(
      (p) => !['host.json', 'package.json', BUNDLE_PATH, ...lazy].includes(p) && !p.startsWith('dialpad/'),
    );
    assert.deepEqual(others, []);
    assert.ok(!paths.some((p) => /\.(ts|map)$|local\.settings|node_modules|tests?\//.test(p)));
    assert.ok(!paths.includes('dialpad/config.json'), 'config.json is written per deployment by dialpad-publish');
    // the browser-test hook (a handle on the live call) is for test builds only
    for (const entry of entries.filter((e) => e.path.startsWith('dialpad/'))) {
      assert.ok(!entry.data.includes('__dialpad'), `${entry.path} carries the test hook window.__dialpad`);
    }
    // no build-machine paths: another checkout builds the same bytes
    for (const path of [BUNDLE_PATH, ...lazy]) {
      const code = entries.find((e) => e.path === path)!.data.toString('utf8');
      assert.ok(!code.includes(join(__dirname, '..', '..', '..')), `${path} embeds the checkout path`);
    }
  });

  describe('unpacked and served by the local host as the Functions worker would load it', () => {
    let stack: Stack;
    let blobAzurite: RunningAzurite;
    let host: LocalHost;
    const savedEnv = { ...process.env };

    before(async () => {
      blobAzurite = await startAzurite({ blob: true });
      // Azurite + the Catapult sandbox only: the API is the packaged app on the local host below. Its
      // URL is not known yet, so the stack gets a placeholder and the host sets PUBLIC_BASE_URL itself.
      stack = await startStack({
        externalApiUrl: 'http://127.0.0.1',
        env: { AzureWebJobsStorage: blobAzurite.connectionString, DIALPAD_ORIGIN: 'http://localhost:4280' },
      });
      const settings = { ...stack.env };
      delete settings.PUBLIC_BASE_URL;
      // the host assigns the settings into process.env before loading (restored in after()), and
      // runs the bundle's appStart hooks, which start publishing the dialpad
      host = await startLocalHost({ appRoot, port: 0, env: settings, log: () => undefined });
    });
    after(async () => {
      await host?.close();
      await stack?.stop();
      await blobAzurite?.stop();
      for (const key of Object.keys(process.env)) if (!(key in savedEnv)) delete process.env[key];
      Object.assign(process.env, savedEnv);
    });

    it('registers the same HTTP functions and start-up hooks as the sources (the dialpad one among them)', () => {
      const expected = loadFunctionApp()
        .registrations.map((r) => `${r.name} ${[...r.methods].sort().join(',')} ${r.route}`)
        .sort();
      const actual = host.registrations.map((r) => `${r.name} ${[...r.methods].sort().join(',')} ${r.route}`).sort();
      assert.deepEqual(actual, expected);
      // outside a worker @azure/functions would skip the sources' hooks: the registry records them instead
      const sourceHooks = loadFunctionApp().appStartHooks.length;
      assert.ok(sourceHooks >= 1, 'dialpad-publish registers an appStart hook');
      assert.equal(host.hooks.get('appStart')?.length, sourceHooks);
    });

    it('answers GET /api/health with every check ok', async () => {
      const response = await fetch(`${host.url}/api/health`);
      const body = (await response.json()) as HealthResponse;
      assert.equal(response.status, 200, JSON.stringify(body));
      assert.equal(body.status, 'ok');
      assert.equal(body.provider, 'catapult');
      assert.deepEqual(Object.fromEntries(Object.entries(body.checks).map(([name, check]) => [name, check.ok])), {
        config: true,
        storage: true,
        provider: true,
      });
    });

    it('loads the passkey library from its lazy bundle on first use (passkey log-in options)', async () => {
      const response = await fetch(`${host.url}/api/login/passkey/options`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
      const body = (await response.json()) as { options: { rpId: string; challenge: string } };
      assert.equal(response.status, 200, JSON.stringify(body));
      assert.equal(body.options.rpId, 'localhost');
      assert.match(body.options.challenge, /^[A-Za-z0-9_-]{51}$/);
    });

    it('publishes the bundled dialpad with config.json pointing at the app when the host starts', async () => {
      const container = BlobServiceClient.fromConnectionString(blobAzurite.connectionString).getContainerClient('$web');
      const deadline = Date.now() + 15_000;
      // the hook does not block start-up, so wait for index.html (uploaded last)
      while (!(await container.getBlobClient('index.html').exists())) {
        assert.ok(Date.now() < deadline, 'index.html was not published');
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const config = JSON.parse(
        (await container.getBlobClient('config.json').downloadToBuffer()).toString('utf8'),
      ) as unknown;
      assert.deepEqual(config, { apiBaseUrl: host.url });
      const published = (await container.getBlobClient('index.html').downloadToBuffer()).toString('utf8');
      // As packaged, except that its CSP's connect-src now names this deployment's API and SIP WebSocket origins.
      const packaged = entries.find((e) => e.path === 'dialpad/index.html')!.data.toString('utf8');
      assert.ok(packaged.includes(CONNECT_ORIGINS_MARKER));
      assert.equal(published, withConnectOrigins(packaged, [host.url, ...dialpadConnectUrls(stack.env)]));
      assert.match(published, new RegExp(`connect-src 'self' ${new URL(host.url).origin.replace(/\./g, '\\.')} `));
    });
  });
});
