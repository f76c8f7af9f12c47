// Choosing the provider by its credentials, and the Bandwidth settings' validation.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CONFIG_SETTINGS, describeConfigProblems, loadConfig, selectedProvider } from '../../../core/config';
import { createVoiceAppFromEnv } from '../../../core/create-voice-app';
import { BANDWIDTH_ENV } from './support/bandwidth-env';
import { TEST_ENV } from './support/test-config';

const problemsOf = (env: Record<string, string>) => {
  const result = loadConfig(env);
  assert.equal(result.ok, false);
  return result.ok ? [] : result.problems;
};

test('the Bandwidth credentials select Bandwidth, with every default applied', () => {
  const result = loadConfig(BANDWIDTH_ENV);
  assert.ok(result.ok, JSON.stringify(!result.ok && result.problems));
  const { config } = result;
  assert.ok(config.provider === 'bandwidth');
  assert.deepEqual(config.bandwidth, {
    accountId: '9900000',
    clientId: 'main-client-id',
    clientSecret: 'main-client-secret-value',
    webrtcClientId: 'webrtc-client-id',
    webrtcClientSecret: 'webrtc-client-secret-value',
    apiUrl: 'https://api.bandwidth.com',
    voiceUrl: 'https://voice.bandwidth.com',
    oauthUrl: 'https://api.bandwidth.com/api/v1/oauth2/token',
    webrtcOauthUrl: 'https://id.bandwidth.com/api/v1/oauth2/token',
    webrtcGatewayUrl: 'wss://gw.webrtc-app.bandwidth.com:10081',
    inAppNumbers: ['+19195550100'],
  });
  assert.deepEqual(config.webPubSub, {
    endpoint: 'https://voiceref.webpubsub.azure.com',
    accessKey: 'cHViLXN1Yi1rZXktdmFsdWU=',
    hub: 'calls',
  });
  assert.ok(Object.isFrozen(config.bandwidth));
  assert.equal(selectedProvider(BANDWIDTH_ENV), 'bandwidth');
  assert.equal(selectedProvider(TEST_ENV), 'catapult');
});

test('a partial Bandwidth set names exactly the missing Bandwidth settings, not Catapult ones', () => {
  const settings = problemsOf({ ...BANDWIDTH_ENV, BANDWIDTH_CLIENT_SECRET: '', BANDWIDTH_WEBRTC_CLIENT_ID: ' ' })
    .map((p) => p.setting)
    .sort();
  assert.deepEqual(settings, ['BANDWIDTH_CLIENT_SECRET', 'BANDWIDTH_WEBRTC_CLIENT_ID']);
  const onlyAccount = problemsOf({
    ...TEST_ENV,
    CATAPULT_USER_ID: '',
    CATAPULT_API_TOKEN: '',
    CATAPULT_API_SECRET: '',
    BANDWIDTH_ACCOUNT_ID: '9900000',
  });
  const named = onlyAccount.map((p) => p.setting).sort();
  assert.deepEqual(named, [
    'BANDWIDTH_CLIENT_ID',
    'BANDWIDTH_CLIENT_SECRET',
    'BANDWIDTH_IN_APP_NUMBERS',
    'BANDWIDTH_WEBRTC_CLIENT_ID',
    'BANDWIDTH_WEBRTC_CLIENT_SECRET',
    'WEB_PUBSUB_CONNECTION_STRING',
  ]);
});

test('both providers’ credentials at once is an error naming both sets, and health cannot name a provider', async () => {
  const env = { ...TEST_ENV, ...BANDWIDTH_ENV };
  const problems = problemsOf(env);
  const text = describeConfigProblems(problems);
  for (const name of [
    'CATAPULT_USER_ID',
    'CATAPULT_API_TOKEN',
    'CATAPULT_API_SECRET',
    'BANDWIDTH_ACCOUNT_ID',
    'BANDWIDTH_CLIENT_ID',
    'BANDWIDTH_CLIENT_SECRET',
  ]) {
    assert.match(text, new RegExp(name));
  }
  assert.doesNotMatch(text, /main-client-secret-value|secret-value-xyz/);
  assert.equal(selectedProvider(env), undefined);
  const health = await createVoiceAppFromEnv(env).health();
  assert.equal(health.status, 'degraded');
  assert.equal(health.provider, undefined);
  const bandwidthBroken = await createVoiceAppFromEnv({ ...BANDWIDTH_ENV, APP_SECRET: 'short' }).health();
  assert.equal(bandwidthBroken.provider, 'bandwidth');
});

test('the number-ordering credential may not double as the browsers’ credential', () => {
  const problems = problemsOf({ ...BANDWIDTH_ENV, BANDWIDTH_WEBRTC_CLIENT_ID: BANDWIDTH_ENV.BANDWIDTH_CLIENT_ID! });
  assert.deepEqual(
    problems.map((p) => p.setting),
    ['BANDWIDTH_WEBRTC_CLIENT_ID'],
  );
  assert.match(problems[0]!.message, /In-App Calling/);
});

test('bad Bandwidth values are each named without echoing secrets', () => {
  const problems = problemsOf({
    ...BANDWIDTH_ENV,
    BANDWIDTH_ACCOUNT_ID: 'acct-1',
    BANDWIDTH_CLIENT_SECRET: 'has space secret',
    BANDWIDTH_API_URL: 'http://api.example.com',
    BANDWIDTH_WEBRTC_GATEWAY_URL: 'https://gw.example.com',
    BANDWIDTH_LOCATION_ID: '12',
    WEB_PUBSUB_CONNECTION_STRING: 'Endpoint=http://pubsub.example.com;AccessKey=SECRETKEY;Version=1.0;',
    WEB_PUBSUB_HUB: '1calls',
  });
  assert.deepEqual(problems.map((p) => p.setting).sort(), [
    'BANDWIDTH_ACCOUNT_ID',
    'BANDWIDTH_API_URL',
    'BANDWIDTH_CLIENT_SECRET',
    'BANDWIDTH_LOCATION_ID',
    'BANDWIDTH_WEBRTC_GATEWAY_URL',
    'WEB_PUBSUB_CONNECTION_STRING',
    'WEB_PUBSUB_HUB',
  ]);
  assert.doesNotMatch(describeConfigProblems(problems), /has space secret|SECRETKEY/);
});

test('loopback endpoints are accepted for the local stand-ins; a site and location can be reused', () => {
  const result = loadConfig({
    ...BANDWIDTH_ENV,
    BANDWIDTH_API_URL: 'http://127.0.0.1:9090/',
    BANDWIDTH_VOICE_URL: 'http://127.0.0.1:9090',
    BANDWIDTH_OAUTH_URL: 'http://127.0.0.1:9090/api/v1/oauth2/token',
    BANDWIDTH_WEBRTC_OAUTH_URL: 'http://127.0.0.1:9090/webrtc/oauth2/token',
    BANDWIDTH_WEBRTC_GATEWAY_URL: 'ws://127.0.0.1:9091',
    BANDWIDTH_SITE_ID: '1234',
    BANDWIDTH_LOCATION_ID: '5678',
    WEB_PUBSUB_CONNECTION_STRING: 'Endpoint=http://localhost;Port=7080;AccessKey=a2V5;Version=1.0;',
    WEB_PUBSUB_HUB: 'dev_calls',
  });
  assert.ok(result.ok && result.config.provider === 'bandwidth', JSON.stringify(!result.ok && result.problems));
  assert.equal(result.config.bandwidth.apiUrl, 'http://127.0.0.1:9090');
  assert.equal(result.config.bandwidth.siteId, '1234');
  assert.equal(result.config.bandwidth.locationId, '5678');
  assert.deepEqual(result.config.webPubSub, { endpoint: 'http://localhost:7080', accessKey: 'a2V5', hub: 'dev_calls' });
});

test('every Bandwidth setting is described and marked with its provider', () => {
  const bandwidth = CONFIG_SETTINGS.filter((s) => s.provider === 'bandwidth').map((s) => s.name);
  for (const name of Object.keys(BANDWIDTH_ENV).filter((n) => n.startsWith('BANDWIDTH_') || n.startsWith('WEB_PUBSUB')))
    assert.ok(bandwidth.includes(name), name);
});

test('BANDWIDTH_IN_APP_NUMBERS: a comma-separated E.164 list, required, anything else named', () => {
  const result = loadConfig({ ...BANDWIDTH_ENV, BANDWIDTH_IN_APP_NUMBERS: ' +19195550100, +442071838750 ' });
  assert.ok(result.ok && result.config.provider === 'bandwidth', JSON.stringify(!result.ok && result.problems));
  assert.deepEqual(result.config.bandwidth.inAppNumbers, ['+19195550100', '+442071838750']);
  for (const bad of ['9195550100', '+1919555010x', ',', '+19195550100,tel:+1']) {
    const problems = problemsOf({ ...BANDWIDTH_ENV, BANDWIDTH_IN_APP_NUMBERS: bad });
    assert.deepEqual(
      problems.map((p) => p.setting),
      ['BANDWIDTH_IN_APP_NUMBERS'],
      bad,
    );
  }
  const missing = problemsOf({ ...BANDWIDTH_ENV, BANDWIDTH_IN_APP_NUMBERS: '' });
  assert.deepEqual(
    missing.map((p) => p.setting),
    ['BANDWIDTH_IN_APP_NUMBERS'],
  );
  assert.match(missing[0]!.message, /required/);
});
