// A page on another website cannot sign its visitor's browser up for a number. Before, POST routes parsed a
// text/plain body as JSON, and a "simple request" (text/plain fetch or form) needs no CORS preflight, so it
// reached the API and ordered a number. Now every POST body must be application/json (415 otherwise), which a
// browser only sends cross-origin after a preflight the API's CORS answers for the dialpad's origin alone.
// Real Chromium, the whole stack (Azurite, sandbox, local host), and an "attacker" page on its own origin.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { startStack, type Stack } from '../../dev/stack';
import { startStaticServer, type StaticServer } from '../../dev/static-server';
import { callApi } from '../support/api-client';
import { SandboxControl } from '../support/sandbox-control';
import { launchChromium, newTestContext, waitFor } from './support/chromium';

const ALLOCATE = /^\/v1\/users\/[^/]+\/phoneNumbers$/;

describe('cross-site sign-up from another origin', { timeout: 120_000 }, () => {
  let stack: Stack;
  let attacker: StaticServer;
  let attackerDir: string;
  let browser: Browser;
  const hostLines: string[] = [];

  before(async () => {
    stack = await startStack({ log: (line) => hostLines.push(line) });
    attackerDir = await mkdtemp(path.join(tmpdir(), 'attacker-'));
    await writeFile(path.join(attackerDir, 'index.html'), '<!doctype html><title>Win a prize</title><p>Hello');
    attacker = await startStaticServer({ root: attackerDir, clientConfig: () => ({ apiBaseUrl: '' }) });
    assert.notEqual(new URL(attacker.url).origin, new URL(stack.apiUrl).origin);
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await attacker?.close();
    await stack?.stop();
    if (attackerDir) await rm(attackerDir, { recursive: true, force: true });
  });

  it('a text/plain fetch and a text/plain form reach the API and are refused with 415; nothing is ordered', async () => {
    const sandbox = new SandboxControl(stack.sandbox!.baseUrl);
    // The attacker searched the API itself, so it even holds a valid signature.
    const search = await callApi(stack.apiUrl, 'GET', '/api/numbers?areaCode=919&quantity=2');
    const [first, second] = search.json.numbers as Array<{ number: string; signature: string }>;
    const allocationsBefore = await sandbox.count('POST', ALLOCATE);

    const context = await newTestContext(browser);
    const page = await context.newPage();
    await page.goto(attacker.url);
    const fetchVictim = 'victimfetch';
    const sent = await page.evaluate(
      async ({ api, body }) => {
        // mode no-cors: the attacker cannot read the answer, but the request is sent without a preflight.
        const response = await fetch(`${api}/api/users`, {
          method: 'POST',
          mode: 'no-cors',
          headers: { 'Content-Type': 'text/plain' },
          body,
        });
        return response.type;
      },
      { api: stack.apiUrl, body: JSON.stringify({ username: fetchVictim, ...first }) },
    );
    assert.equal(sent, 'opaque');

    const formVictim = 'victimform';
    await page.evaluate(
      ({ api, field }) => {
        // This runs in the page; the Node test project has no DOM types, so the few used are named here.
        interface FormLike {
          method: string;
          action: string;
          enctype: string;
          append(child: unknown): void;
          submit(): void;
        }
        interface DocumentLike {
          createElement(tag: 'form'): FormLike;
          createElement(tag: 'input'): { name: string; value: string };
          body: { append(child: unknown): void };
        }
        const document = (globalThis as unknown as { document: DocumentLike }).document;
        const form = document.createElement('form');
        form.method = 'POST';
        form.action = `${api}/api/users`;
        form.enctype = 'text/plain';
        // text/plain forms send "name=value": the name carries the JSON, the value closes it.
        const input = document.createElement('input');
        input.name = field.name;
        input.value = field.value;
        form.append(input);
        document.body.append(form);
        form.submit();
      },
      {
        api: stack.apiUrl,
        field: {
          name: `{"username":"${formVictim}","number":"${second!.number}","signature":"${second!.signature}","x":"`,
          value: '"}',
        },
      },
    );
    await waitFor(async () => hostLines.filter((line) => /^POST \/api\/users 415 /.test(line)).length === 2, {
      description: 'both cross-site requests answered 415 by the API',
    });
    assert.equal(hostLines.filter((line) => /^POST \/api\/users 201 /.test(line)).length, 0);

    for (const username of [fetchVictim, formVictim]) {
      const login = await callApi(stack.apiUrl, 'POST', '/api/login', { body: { username } });
      assert.equal(login.status, 404, `${username}: no account was created`);
    }
    assert.equal(await sandbox.count('POST', ALLOCATE), allocationsBefore, 'no number was ordered');
    await context.close();
  });

  it('a JSON fetch from that origin is preflighted, and CORS stops it before the API acts', async () => {
    const search = await callApi(stack.apiUrl, 'GET', '/api/numbers?areaCode=919&quantity=3');
    const offer = (search.json.numbers as Array<{ number: string; signature: string }>)[2]!;
    const context = await newTestContext(browser);
    const page = await context.newPage();
    await page.goto(attacker.url);
    const outcome = await page.evaluate(
      async ({ api, body }) => {
        try {
          await fetch(`${api}/api/users`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
          return 'sent';
        } catch (error) {
          return (error as Error).name;
        }
      },
      { api: stack.apiUrl, body: JSON.stringify({ username: 'victimjson', ...offer }) },
    );
    assert.equal(outcome, 'TypeError', 'the browser refused to send it');
    assert.ok(
      hostLines.some((line) => /^OPTIONS \/api\/users 204 /.test(line)),
      'the preflight was asked',
    );
    assert.equal(hostLines.filter((line) => /^POST \/api\/users 2\d\d /.test(line)).length, 0);
    const login = await callApi(stack.apiUrl, 'POST', '/api/login', { body: { username: 'victimjson' } });
    assert.equal(login.status, 404);
    await context.close();
  });
});
