// The app's one-time Bandwidth resources against the sandbox and Azurite: concurrent cold starts create one
// application, site and location (origination pointing at the application, CallbackCreds set); a new public
// address reaches the application; a configured site and location are reused, not duplicated.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { bandwidthResources } from '../../../core/providers/bandwidth/setup';
import { startBandwidthStack, type BandwidthStack } from './support/bandwidth-stack';

let stack: BandwidthStack;
before(async () => {
  stack = await startBandwidthStack();
});
after(async () => {
  await stack?.stop();
});

const tag = (xml: string, name: string) => new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml)?.[1];
const count = (xml: string, name: string) => xml.split(`<${name}>`).length - 1;

async function listed(path: string, element: string): Promise<number> {
  const res = await stack.numbers('GET', path);
  assert.equal(res.status, 200, res.text);
  return count(res.text, element);
}

test('concurrent cold starts create one application, site and location, linked, with callback credentials', async () => {
  const sitesBefore = await listed('/sites', 'Site');
  const prefix = `bwsetup${process.pid}`;
  const apps = [1, 2, 3].map(() => stack.newApp({ tablePrefix: prefix }));
  const results = await Promise.all(apps.map((app) => app.ensureProviderResources()));
  for (const r of results) assert.deepEqual(r, results[0]);
  const { applicationId, siteId, locationId } = bandwidthResources(results[0]!);
  assert.equal(await listed('/sites', 'Site'), sitesBefore + 1, 'one site');

  const application = await stack.numbers('GET', `/applications/${applicationId}`);
  assert.equal(tag(application.text, 'ServiceType'), 'Voice-V2');
  assert.equal(
    tag(application.text, 'CallInitiatedCallbackUrl'),
    `${stack.config.publicBaseUrl}/api/bandwidth/callbacks/initiate`,
  );
  assert.equal(
    tag(application.text, 'CallStatusCallbackUrl'),
    `${stack.config.publicBaseUrl}/api/bandwidth/callbacks/status`,
  );
  assert.equal(tag(application.text, 'UserId'), 'bandwidth');
  const origination = await stack.numbers(
    'GET',
    `/sites/${siteId}/sippeers/${locationId}/products/origination/settings`,
  );
  assert.equal(tag(origination.text, 'HttpVoiceV2AppId'), applicationId, 'the location’s calls reach the application');

  // A restart finds everything in the table: nothing more is created.
  stack.observed.length = 0;
  assert.deepEqual(await stack.newApp({ tablePrefix: prefix }).ensureProviderResources(), results[0]);
  assert.deepEqual(
    stack.observed.filter((r) => r.method === 'POST'),
    [],
  );
});

test('a new public address is carried to the application’s callback URLs', async () => {
  const prefix = `bwmove${process.pid}`;
  const first = await stack.newApp({ tablePrefix: prefix }).ensureProviderResources();
  const moved = stack.newApp({ tablePrefix: prefix }, { PUBLIC_BASE_URL: 'https://moved.example.test' });
  assert.deepEqual(await moved.ensureProviderResources(), first, 'the same resources');
  const application = await stack.numbers('GET', `/applications/${bandwidthResources(first).applicationId}`);
  assert.equal(
    tag(application.text, 'CallInitiatedCallbackUrl'),
    'https://moved.example.test/api/bandwidth/callbacks/initiate',
  );
});

test('BANDWIDTH_SITE_ID / BANDWIDTH_LOCATION_ID are reused: no new site or location, origination pointed at the app', async () => {
  const existing = bandwidthResources(
    await stack.newApp({ tablePrefix: `bwown${process.pid}` }).ensureProviderResources(),
  );
  const sitesBefore = await listed('/sites', 'Site');
  const locationsBefore = await listed(`/sites/${existing.siteId}/sippeers`, 'SipPeer');
  const app = stack.newApp(
    { tablePrefix: `bwreuse${process.pid}` },
    { BANDWIDTH_SITE_ID: existing.siteId, BANDWIDTH_LOCATION_ID: existing.locationId },
  );
  const reused = bandwidthResources(await app.ensureProviderResources());
  assert.equal(reused.siteId, existing.siteId);
  assert.equal(reused.locationId, existing.locationId);
  assert.notEqual(reused.applicationId, existing.applicationId, 'this app’s own application');
  assert.equal(await listed('/sites', 'Site'), sitesBefore);
  assert.equal(await listed(`/sites/${existing.siteId}/sippeers`, 'SipPeer'), locationsBefore);
  const origination = await stack.numbers(
    'GET',
    `/sites/${existing.siteId}/sippeers/${existing.locationId}/products/origination/settings`,
  );
  assert.equal(tag(origination.text, 'HttpVoiceV2AppId'), reused.applicationId);
});
