import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CONNECT_ORIGINS_MARKER,
  connectSources,
  DIALPAD_CONTENT_SECURITY_POLICY,
  FRAME_HEADERS,
  withConnectOrigins,
} from '../../../core/static-site/dialpad-csp';
import { dialpadConnectUrls } from '../../../core/static-site/dialpad-connect-urls';

const html = `<meta http-equiv="Content-Security-Policy" content="${DIALPAD_CONTENT_SECURITY_POLICY}">`;

function connectSrc(page: string): string[] {
  return /connect-src ([^;"]+)/.exec(page)![1]!.trim().split(/\s+/);
}

describe('dialpad CSP', () => {
  it('puts the origins (not the paths) of the API and the SIP WebSocket in connect-src, once each', () => {
    const page = withConnectOrigins(html, [
      'https://voiceref-x.azurewebsites.net/',
      'https://voiceref-x.azurewebsites.net/api',
      'wss://webrtc.example.com:10443/sip?x=1',
    ]);
    assert.deepEqual(connectSrc(page), [
      "'self'",
      'https://voiceref-x.azurewebsites.net',
      'wss://webrtc.example.com:10443',
    ]);
    assert.ok(!page.includes(CONNECT_ORIGINS_MARKER));
  });

  it("leaves 'self' only when nothing fills the marker (fails closed)", () => {
    assert.deepEqual(connectSrc(html), ["'self'", CONNECT_ORIGINS_MARKER]);
    assert.deepEqual(connectSrc(withConnectOrigins(html, [])), ["'self'"]);
  });

  it('accepts http/ws on loopback only, and refuses other schemes, credentials and non-URLs', () => {
    assert.deepEqual(connectSources(['http://127.0.0.1:7071', 'ws://localhost:5066/ws']), [
      'http://127.0.0.1:7071',
      'ws://localhost:5066',
    ]);
    assert.throws(() => connectSources(['http://api.example.com']), /https\/wss/);
    assert.throws(() => connectSources(['ws://sip.example.com']), /https\/wss/);
    assert.throws(() => connectSources(['https://user:pw@api.example.com']), /https\/wss/);
    assert.throws(() => connectSources(['javascript:alert(1)']), /https\/wss/);
    assert.throws(() => connectSources(['not a url']), /Not a URL/);
  });

  it('leaves a page without the marker unchanged', () => {
    assert.equal(withConnectOrigins('<p>hi</p>', ['https://a.example']), '<p>hi</p>');
  });

  it('frames nowhere where headers can be sent', () => {
    assert.equal(FRAME_HEADERS['Content-Security-Policy'], "frame-ancestors 'none'");
    assert.equal(FRAME_HEADERS['X-Frame-Options'], 'DENY');
  });

  it('publishing connects to the configured SIP WebSocket, or to the setting default', () => {
    assert.deepEqual(dialpadConnectUrls({ CATAPULT_SIP_WEBSOCKET_URL: ' wss://sip.example.com/ws ' }), [
      'wss://sip.example.com/ws',
    ]);
    const [fallback] = dialpadConnectUrls({});
    assert.match(fallback ?? '', /^wss:\/\//);
  });

  it('on Bandwidth connects to the In-App Calling gateway and the Web PubSub endpoint (over wss), not to Catapult', () => {
    const bandwidth = {
      BANDWIDTH_ACCOUNT_ID: '9900001',
      BANDWIDTH_CLIENT_ID: 'client',
      BANDWIDTH_CLIENT_SECRET: 'secret',
      CATAPULT_SIP_WEBSOCKET_URL: 'wss://sip.example.com/ws',
      WEB_PUBSUB_CONNECTION_STRING: 'Endpoint=https://vra.webpubsub.azure.com;AccessKey=a2V5;Version=1.0;',
    };
    assert.deepEqual(dialpadConnectUrls(bandwidth), [
      'wss://gw.webrtc-app.bandwidth.com:10081',
      'wss://vra.webpubsub.azure.com',
    ]);
    assert.deepEqual(
      dialpadConnectUrls({
        ...bandwidth,
        BANDWIDTH_WEBRTC_GATEWAY_URL: 'ws://127.0.0.1:5060/bandwidth/webrtc',
        WEB_PUBSUB_CONNECTION_STRING: 'Endpoint=http://127.0.0.1:5555;AccessKey=a2V5;Version=1.0;',
      }),
      ['ws://127.0.0.1:5060/bandwidth/webrtc', 'ws://127.0.0.1:5555'],
    );
    const page = withConnectOrigins(html, ['https://api.example.com', ...dialpadConnectUrls(bandwidth)]);
    assert.ok(!page.includes('AccessKey') && !page.includes('a2V5'), 'the access key never reaches the page');
  });
});
