// The dialpad built into a temporary folder, served on loopback with its API pointing at the scripted fake API
// (fake-api.ts), and one Chromium: what the fake-API browser tests share. Registers its own before()/after();
// read the fields inside tests only.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before } from 'node:test';
import type { Browser } from 'playwright-core';
import { startStaticServer, type StaticServer } from '../../../dev/static-server';
import { buildWeb } from '../../../web/build';
import { launchChromium } from './chromium';
import { startFakeApi, type FakeApi } from './fake-api';

export interface FakeApiDialpad {
  readonly web: StaticServer;
  readonly api: FakeApi;
  readonly browser: Browser;
}

export function useFakeApiDialpad(folderPrefix: string): FakeApiDialpad {
  let outDir: string | undefined;
  let web: StaticServer | undefined;
  let api: FakeApi | undefined;
  let browser: Browser | undefined;
  before(async () => {
    outDir = await mkdtemp(path.join(tmpdir(), folderPrefix));
    await buildWeb({ outDir });
    let webUrl = '';
    api = await startFakeApi(() => webUrl);
    web = await startStaticServer({ root: outDir, port: 0, clientConfig: () => ({ apiBaseUrl: api!.url }) });
    webUrl = web.url;
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await web?.close();
    await api?.close();
    if (outDir) await rm(outDir, { recursive: true, force: true });
  });
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the dialpad is not started yet');
    return value;
  };
  return {
    get web() {
      return started(web);
    },
    get api() {
      return started(api);
    },
    get browser() {
      return started(browser);
    },
  };
}
