import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CONFIG_SETTINGS, describeConfigProblems, loadConfig } from '../../../core/config';
import { TEST_ENV } from './support/test-config';

test('a complete environment loads, with defaults applied and the result frozen', () => {
  const result = loadConfig(TEST_ENV);
  assert.ok(result.ok);
  const { config } = result;
  assert.ok(config.provider === 'catapult');
  assert.equal(config.catapultApiUrl, 'https://api.catapult.inetwork.com/v1');
  assert.equal(config.catapultSipWebsocketUrl, 'wss://webrtc.registration.bandwidth.com:10443');
  assert.deepEqual(config.allowedDialCountries, ['US', 'CA']);
  assert.equal(config.appName, 'voice-reference-app');
  assert.equal(config.sessionTtlHours, 720);
  assert.equal(config.publicBaseUrl, 'https://app.example.com');
  assert.ok(Object.isFrozen(config));
  assert.throws(() => ((config as { appName: string }).appName = 'x'));
});

test('every missing required setting is reported at once', () => {
  const result = loadConfig({});
  assert.equal(result.ok, false);
  if (result.ok) return;
  // Nothing selects Bandwidth, so Catapult's settings are the ones missing; Bandwidth's are not used.
  // AzureWebJobsStorage is optional on its own (AzureWebJobsStorage__accountName may stand for it) but one is needed
  const required = [...CONFIG_SETTINGS.filter((s) => s.required && s.provider !== 'bandwidth').map((s) => s.name)]
    .concat('AzureWebJobsStorage')
    .sort();
  assert.deepEqual(result.problems.map((p) => p.setting).sort(), required);
});

test('bad values are each named, and secret values are never echoed', () => {
  const env = {
    ...TEST_ENV,
    CATAPULT_USER_ID: 'not-a-user',
    CATAPULT_DOMAIN_NAME: 'My_Domain',
    PUBLIC_BASE_URL: 'http://app.example.com',
    APP_SECRET: 'short-secret-value',
    AzureWebJobsStorage: 'garbage-connection-string-SECRETISH',
    ALLOWED_DIAL_COUNTRIES: 'US,XX',
    APP_NAME: 'Bad Name',
    SESSION_TTL_HOURS: '0',
    SIGNUP_RESUME_MINUTES: '1441',
    CATAPULT_SIP_WEBSOCKET_URL: 'ws://example.com',
  };
  const result = loadConfig(env);
  assert.equal(result.ok, false);
  if (result.ok) return;
  const settings = result.problems.map((p) => p.setting).sort();
  assert.deepEqual(settings, [
    'ALLOWED_DIAL_COUNTRIES',
    'APP_NAME',
    'APP_SECRET',
    'AzureWebJobsStorage',
    'CATAPULT_DOMAIN_NAME',
    'CATAPULT_SIP_WEBSOCKET_URL',
    'CATAPULT_USER_ID',
    'PUBLIC_BASE_URL',
    'SESSION_TTL_HOURS',
    'SIGNUP_RESUME_MINUTES',
  ]);
  const text = describeConfigProblems(result.problems);
  for (const setting of settings) assert.match(text, new RegExp(setting));
  assert.doesNotMatch(text, /short-secret-value|SECRETISH|secret-value-xyz/);
  assert.match(text, /XX/); // a non-secret bad value may be named to help
});

test('http is allowed only for loopback URLs; credentials and queries are refused', () => {
  assert.ok(
    loadConfig({ ...TEST_ENV, PUBLIC_BASE_URL: 'http://127.0.0.1:7071/', CATAPULT_API_URL: 'http://localhost:8088/v1' })
      .ok,
  );
  for (const bad of ['https://user:pw@app.example.com', 'https://app.example.com/?x=1', 'not a url']) {
    const result = loadConfig({ ...TEST_ENV, PUBLIC_BASE_URL: bad });
    assert.equal(result.ok, false, bad);
  }
  const trimmed = loadConfig({ ...TEST_ENV, PUBLIC_BASE_URL: 'https://app.example.com/base/' });
  assert.ok(trimmed.ok && trimmed.config.publicBaseUrl === 'https://app.example.com/base');
});

test('the domain name leaves room for the random suffix within 63 characters', () => {
  assert.ok(loadConfig({ ...TEST_ENV, CATAPULT_DOMAIN_NAME: 'a'.repeat(54) }).ok);
  assert.equal(loadConfig({ ...TEST_ENV, CATAPULT_DOMAIN_NAME: 'a'.repeat(55) }).ok, false);
  assert.equal(loadConfig({ ...TEST_ENV, CATAPULT_DOMAIN_NAME: 'voice-' }).ok, false);
  assert.equal(loadConfig({ ...TEST_ENV, CATAPULT_DOMAIN_NAME: '1voice' }).ok, false);
});

test('explicit Azure connection strings are accepted', () => {
  const azure = 'DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=a2V5;EndpointSuffix=core.windows.net';
  assert.ok(loadConfig({ ...TEST_ENV, AzureWebJobsStorage: azure }).ok);
  assert.ok(loadConfig({ ...TEST_ENV, ALLOWED_DIAL_COUNTRIES: ' us , gb ' }).ok);
});

test('CONFIG_SETTINGS marks every secret and gives defaults only to optional settings', () => {
  const secrets = CONFIG_SETTINGS.filter((s) => s.secret)
    .map((s) => s.name)
    .sort();
  assert.deepEqual(secrets, [
    'APP_SECRET',
    'AzureWebJobsStorage',
    'BANDWIDTH_CLIENT_SECRET',
    'BANDWIDTH_WEBRTC_CLIENT_SECRET',
    'CATAPULT_API_SECRET',
    'CATAPULT_API_TOKEN',
    'SIGNUP_CODE',
    'WEB_PUBSUB_CONNECTION_STRING',
  ]);
  for (const setting of CONFIG_SETTINGS) {
    assert.ok(setting.description.length > 10, setting.name);
    if (setting.default !== undefined) assert.equal(setting.required, false, setting.name);
  }
});
