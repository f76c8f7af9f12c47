// Publishing the dialpad to the static website ($web), against Azurite's Blob service.
// Azurite stores the static-website setting but has no web endpoint (docs/contracts/azure-functions.md §5.2, item 6),
// so the tests read the blobs and service properties back through the SDK.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { BlobServiceClient } from '@azure/storage-blob';
import { DEV_ACCOUNT_KEY, startAzurite, type RunningAzurite } from '../../../dev/azurite';
import { DIALPAD_CONTENT_SECURITY_POLICY } from '../../../core/static-site/dialpad-csp';
import { publishDialpad, WEB_CONTAINER } from '../../../core/static-site/publish-dialpad';
import { StaticSiteError } from '../../../core/static-site/static-site-error';
import { findAppRoot, publishBundledDialpad } from '../../../functions/dialpad-publish';

const FAST_FAIL = { retryOptions: { maxTries: 1, tryTimeoutInMs: 2_000 } };

async function readBlob(service: BlobServiceClient, name: string) {
  const blob = service.getContainerClient(WEB_CONTAINER).getBlobClient(name);
  const properties = await blob.getProperties();
  return { text: (await blob.downloadToBuffer()).toString('utf8'), properties };
}

async function writeDialpad(dir: string, files: Record<string, string>): Promise<void> {
  for (const [name, content] of Object.entries(files)) {
    await mkdir(join(dir, name, '..'), { recursive: true });
    await writeFile(join(dir, name), content);
  }
}

describe('publishDialpad', () => {
  let azurite: RunningAzurite;
  let work: string;
  let service: BlobServiceClient;

  before(async () => {
    azurite = await startAzurite({ blob: true });
    service = BlobServiceClient.fromConnectionString(azurite.connectionString);
    work = await mkdtemp(join(tmpdir(), 'dialpad-publish-'));
  });
  after(async () => {
    await azurite?.stop();
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('enables the static website, uploads every file with its type and caching, index.html last, and writes config.json', async () => {
    const dialpadDir = join(work, 'release-1');
    await writeDialpad(dialpadDir, {
      'index.html': '<!doctype html><title>Dialpad</title>',
      'app.0123456789ab.js': 'console.log(1)',
      'icons/icon.svg': '<svg/>',
      'config.json': '{"apiBaseUrl":"http://stale.example"}', // a dev leftover must never be published
    });
    const result = await publishDialpad({
      connectionString: azurite.connectionString,
      dialpadDir,
      apiBaseUrl: 'https://voiceref-x.azurewebsites.net/',
    });
    assert.equal(result.status, 'published');
    assert.deepEqual(result.files, ['app.0123456789ab.js', 'config.json', 'icons/icon.svg', 'index.html']);

    const properties = await service.getProperties();
    assert.equal(properties.staticWebsite?.enabled, true);
    assert.equal(properties.staticWebsite?.indexDocument, 'index.html');
    assert.equal(properties.staticWebsite?.errorDocument404Path, 'index.html');

    const config = await readBlob(service, 'config.json');
    assert.deepEqual(JSON.parse(config.text), { apiBaseUrl: 'https://voiceref-x.azurewebsites.net' });
    assert.equal(config.properties.contentType, 'application/json; charset=utf-8');
    assert.equal(config.properties.cacheControl, 'no-cache');

    const script = await readBlob(service, 'app.0123456789ab.js');
    assert.equal(script.properties.contentType, 'text/javascript; charset=utf-8');
    assert.equal(script.properties.cacheControl, 'public, max-age=31536000, immutable');
    assert.equal((await readBlob(service, 'icons/icon.svg')).properties.contentType, 'image/svg+xml');

    const index = await readBlob(service, 'index.html');
    assert.equal(index.properties.contentType, 'text/html; charset=utf-8');
    assert.equal(index.properties.metadata?.dialpaddigest, result.digest);

    // same release and URL: nothing is uploaded again
    const again = await publishDialpad({
      connectionString: azurite.connectionString,
      dialpadDir,
      apiBaseUrl: 'https://voiceref-x.azurewebsites.net',
    });
    assert.deepEqual(again, { status: 'unchanged', files: [], digest: result.digest });

    // a new API URL is a new release of config.json
    const moved = await publishDialpad({
      connectionString: azurite.connectionString,
      dialpadDir,
      apiBaseUrl: 'https://voiceref-y.azurewebsites.net',
    });
    assert.equal(moved.status, 'published');
    assert.notEqual(moved.digest, result.digest);
    assert.deepEqual(JSON.parse((await readBlob(service, 'config.json')).text), {
      apiBaseUrl: 'https://voiceref-y.azurewebsites.net',
    });
  });

  it("names this deployment's API and SIP WebSocket origins in index.html's connect-src", async () => {
    const dialpadDir = join(work, 'release-csp');
    await writeDialpad(dialpadDir, {
      'index.html': `<meta http-equiv="Content-Security-Policy" content="${DIALPAD_CONTENT_SECURITY_POLICY}">`,
    });
    const published = await publishDialpad({
      connectionString: azurite.connectionString,
      dialpadDir,
      apiBaseUrl: 'https://voiceref-z.azurewebsites.net/',
      connectUrls: ['wss://webrtc.example.com:10443/sip'],
    });
    const index = (await readBlob(service, 'index.html')).text;
    assert.match(
      index,
      /connect-src 'self' https:\/\/voiceref-z\.azurewebsites\.net wss:\/\/webrtc\.example\.com:10443;/,
    );
    // Another SIP WebSocket is another policy: published again.
    const moved = await publishDialpad({
      connectionString: azurite.connectionString,
      dialpadDir,
      apiBaseUrl: 'https://voiceref-z.azurewebsites.net/',
      connectUrls: ['wss://sip2.example.com/ws'],
    });
    assert.equal(moved.status, 'published');
    assert.notEqual(moved.digest, published.digest);
    assert.match(
      (await readBlob(service, 'index.html')).text,
      /connect-src 'self' https:\/\/voiceref-z\.azurewebsites\.net wss:\/\/sip2\.example\.com;/,
    );
  });

  it('refuses a release without a dialpad or without index.html: dialpad-missing', async () => {
    await assert.rejects(
      publishDialpad({
        connectionString: azurite.connectionString,
        dialpadDir: join(work, 'absent'),
        apiBaseUrl: 'https://a.example',
      }),
      (error: unknown) => error instanceof StaticSiteError && error.code === 'dialpad-missing',
    );
    const noIndex = join(work, 'no-index');
    await writeDialpad(noIndex, { 'app.js': 'x' });
    await assert.rejects(
      publishDialpad({
        connectionString: azurite.connectionString,
        dialpadDir: noIndex,
        apiBaseUrl: 'https://a.example',
      }),
      (error: unknown) =>
        error instanceof StaticSiteError && error.code === 'dialpad-missing' && /index\.html/.test(error.message),
    );
  });

  it('reports a wrong account key as storage-rejected without leaking the connection string', async () => {
    const dialpadDir = join(work, 'release-1');
    const wrongKey = azurite.connectionString.replace(DEV_ACCOUNT_KEY, Buffer.alloc(64, 7).toString('base64'));
    await assert.rejects(
      publishDialpad({
        connectionString: wrongKey,
        dialpadDir,
        apiBaseUrl: 'https://a.example',
        storageOptions: FAST_FAIL,
      }),
      (error: unknown) =>
        error instanceof StaticSiteError &&
        error.code === 'storage-rejected' &&
        /403/.test(error.message) &&
        !error.message.includes('AccountKey'),
    );
    await assert.rejects(
      publishDialpad({ connectionString: 'not a connection string', dialpadDir, apiBaseUrl: 'https://a.example' }),
      (error: unknown) => error instanceof StaticSiteError && error.code === 'storage-rejected',
    );
  });

  it('reports storage that does not answer as storage-unavailable', async () => {
    const closedPort = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const { port } = server.address() as { port: number };
        server.close(() => resolve(port));
      });
    });
    const down = azurite.connectionString.replace(
      /BlobEndpoint=http:\/\/127\.0\.0\.1:\d+/,
      `BlobEndpoint=http://127.0.0.1:${closedPort}`,
    );
    await assert.rejects(
      publishDialpad({
        connectionString: down,
        dialpadDir: join(work, 'release-1'),
        apiBaseUrl: 'https://a.example',
        storageOptions: FAST_FAIL,
      }),
      (error: unknown) => error instanceof StaticSiteError && error.code === 'storage-unavailable',
    );
  });

  it('the start-up hook publishes the dialpad found next to host.json, and skips builds without one', async () => {
    const appRoot = join(work, 'app');
    await writeDialpad(appRoot, {
      'host.json': '{}',
      'dist/index.js': '',
      'dialpad/index.html': '<!doctype html><title>v2</title>',
    });
    assert.equal(findAppRoot(join(appRoot, 'dist')), appRoot);
    const env = {
      AzureWebJobsStorage: azurite.connectionString,
      PUBLIC_BASE_URL: 'https://voiceref-z.azurewebsites.net',
    };
    assert.equal(await publishBundledDialpad(env, appRoot), 'published (2 files)');
    assert.match((await readBlob(service, 'index.html')).text, /v2/);
    assert.equal(await publishBundledDialpad(env, appRoot), 'unchanged (0 files)');
    assert.match(await publishBundledDialpad(env, join(work, 'absent')), /^skipped: no dialpad/);
    assert.match(await publishBundledDialpad({}, appRoot), /^skipped: AzureWebJobsStorage or PUBLIC_BASE_URL/);
  });
});
