// The stack on the Bandwidth provider: the sandbox playing Bandwidth, the Web PubSub stand-in for incoming-call
// notifications, and the app's settings pointing at both (and at nothing of Catapult's); with real Bandwidth
// settings, no sandbox of its own; with a real Web PubSub connection string, no stand-in.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { startStack } from '../../../dev/stack';
import { createSandbox } from '../../../sandbox/server';

describe('stack on Bandwidth', { timeout: 60_000 }, () => {
  it('starts the sandbox as Bandwidth and the Web PubSub stand-in, and hands the app their settings', async () => {
    const stack = await startStack({ provider: 'bandwidth' });
    try {
      assert.equal(stack.provider, 'bandwidth');
      const bandwidth = stack.sandbox?.bandwidth;
      assert.ok(bandwidth, 'the sandbox plays Bandwidth');
      for (const [name, value] of Object.entries(bandwidth.env)) assert.equal(stack.env[name], value, name);
      assert.equal(stack.env.BANDWIDTH_WEBRTC_OAUTH_URL, bandwidth.oauthUrl, 'no token request leaves the machine');
      assert.ok(stack.webPubSub, 'the stand-in runs');
      assert.equal(stack.env.WEB_PUBSUB_CONNECTION_STRING, stack.webPubSub.connectionString);
      assert.match(stack.env.WEB_PUBSUB_CONNECTION_STRING ?? '', /^Endpoint=http:\/\/127\.0\.0\.1:\d+;AccessKey=/);
      assert.equal(stack.env.WEB_PUBSUB_HUB, 'calls');
      assert.deepEqual(
        Object.keys(stack.env).filter((name) => name.startsWith('CATAPULT_')),
        [],
        'no Catapult setting: one provider per deployment',
      );
    } finally {
      await stack.stop();
    }
    const refused = await fetch(`${stack.webPubSub.endpoint}/api/hubs/calls/users/x/:send`).catch(() => 'closed');
    assert.equal(refused, 'closed', 'stop() closes the stand-in too');
  });

  it('with real Bandwidth settings starts no sandbox; with a real Web PubSub connection string, no stand-in', async () => {
    const real = await createSandbox({ platform: 'bandwidth', port: 0 });
    const given = 'Endpoint=https://example.webpubsub.azure.com;AccessKey=a2V5;Version=1.0;';
    const stack = await startStack({
      provider: 'bandwidth',
      bandwidthEnv: real.bandwidth.env,
      env: { WEB_PUBSUB_CONNECTION_STRING: given },
    });
    try {
      assert.equal(stack.sandbox, undefined);
      assert.equal(stack.webPubSub, undefined);
      assert.equal(stack.env.BANDWIDTH_API_URL, real.bandwidth.apiUrl);
      assert.equal(stack.env.WEB_PUBSUB_CONNECTION_STRING, given);
    } finally {
      await stack.stop();
      await real.close();
    }
  });
});
