// Whatever the core logs during set-up, sign-up, failures and calls never contains a secret.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { deriveKeys } from '../../../core/crypto/derive-keys';
import type { Logger } from '../../../core/log';
import { FakeCatapultError } from './support/fake-catapult';
import { makeApp } from './support/make-app';
import { TEST_ENV, testConfig } from './support/test-config';

test('no secret, token, password or connection string reaches the logger', async () => {
  const lines: string[] = [];
  const record = (level: string) => (message: string, fields?: Record<string, unknown>) =>
    lines.push(`${level} ${message} ${JSON.stringify(fields ?? {})}`);
  const logger: Logger = { info: record('info'), warn: record('warn'), error: record('error') };
  const { app, catapult } = makeApp({ logger });
  const keys = deriveKeys(testConfig().appSecret);
  const auth = `Basic ${Buffer.from(`catapult:${keys.webhookPassword}`).toString('base64')}`;

  catapult.failNext('createEndpoint', new FakeCatapultError(500, 'internal'));
  await app.signUp({ username: 'alice', number: '+19195551001' }).catch(() => undefined);
  const { session } = await app.signUp({ username: 'alice', number: '+19195551001' });
  catapult.failNext('getEndpoint', new FakeCatapultError(400, 'validation-error'));
  await app.signUp({ username: 'bob', number: '+19195551002' }).catch(() => undefined);
  catapult.failNext('transferCall', new FakeCatapultError(500, 'internal'));
  await app.handleWebhook({
    route: 'catapult',
    authorization: auth,
    query: {},
    body: { eventType: 'answer', callId: 'c-1', from: '+13233326955', to: '+19195551001', time: 'x' },
  });
  await app.handleWebhook({
    route: 'catapult',
    authorization: auth,
    query: {},
    body: { eventType: 'answer', callId: 'c-2', from: session.user.sipUri, to: '+19002001234', time: 'x' },
  });
  const sip = await app.getSipCredentials(await app.authenticate(`Bearer ${session.token}`));

  assert.ok(lines.length >= 5, lines.join('\n'));
  const text = lines.join('\n');
  const secrets = [
    TEST_ENV.APP_SECRET,
    TEST_ENV.CATAPULT_API_SECRET,
    TEST_ENV.CATAPULT_API_TOKEN,
    keys.webhookPassword,
    session.token,
    sip.password,
    TEST_ENV.AzureWebJobsStorage,
  ];
  for (const secret of secrets) assert.equal(text.includes(secret), false, `leaked ${secret.slice(0, 4)}…`);
  assert.doesNotMatch(text, /catapult:[^@\s"]+@/); // no webhook URL with userinfo
});
