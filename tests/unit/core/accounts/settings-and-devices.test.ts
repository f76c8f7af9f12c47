// DIALPAD_ORIGIN and REQUIRE_PASSKEY as loadConfig reads them, and the device names sessions and passkeys show.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { deviceName } from '../../../../core/accounts/device-name';
import { loadConfig } from '../../../../core/config';
import { TEST_ENV } from '../support/test-config';

function problemsOf(env: Record<string, string>): string[] {
  const result = loadConfig({ ...TEST_ENV, ...env });
  return result.ok ? [] : result.problems.map((p) => p.setting);
}

describe('account settings', () => {
  it('passkeys are off without DIALPAD_ORIGIN; with it, its host is the relying party id', () => {
    const off = loadConfig(TEST_ENV);
    assert.ok(off.ok);
    assert.deepEqual(off.config.accounts, { dialpadOrigin: undefined, passkeyRpId: undefined, requirePasskey: false });
    const on = loadConfig({
      ...TEST_ENV,
      DIALPAD_ORIGIN: 'https://stx.z13.web.core.windows.net/',
      REQUIRE_PASSKEY: 'TRUE',
    });
    assert.ok(on.ok);
    assert.deepEqual(on.config.accounts, {
      dialpadOrigin: 'https://stx.z13.web.core.windows.net',
      passkeyRpId: 'stx.z13.web.core.windows.net',
      requirePasskey: true,
    });
    const local = loadConfig({ ...TEST_ENV, DIALPAD_ORIGIN: 'http://localhost:4280' });
    assert.ok(local.ok);
    assert.equal(local.config.accounts.passkeyRpId, 'localhost');
  });

  it('refuses what a passkey cannot be bound to, naming the setting', () => {
    for (const bad of [
      'http://dialpad.example.com', // plain http off loopback
      'https://dialpad.example.com/app', // a path
      'https://user@dialpad.example.com',
      'http://127.0.0.1:4280', // WebAuthn refuses IP addresses as RP ids
      'https://[::1]:4280',
      'not a url',
    ]) {
      assert.deepEqual(problemsOf({ DIALPAD_ORIGIN: bad }), ['DIALPAD_ORIGIN'], bad);
    }
    assert.deepEqual(problemsOf({ REQUIRE_PASSKEY: 'yes', DIALPAD_ORIGIN: 'https://d.example.com' }), [
      'REQUIRE_PASSKEY',
    ]);
    assert.deepEqual(problemsOf({ REQUIRE_PASSKEY: 'true' }), ['REQUIRE_PASSKEY'], 'required passkeys need an origin');
  });
});

describe('device names', () => {
  it('names the browser and the system, and never keeps the whole User-Agent', () => {
    const cases: Array<[string | undefined, string]> = [
      [
        'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
        'Safari on iPhone',
      ],
      [
        'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0',
        'Edge on Windows',
      ],
      [
        'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
        'Chrome on macOS',
      ],
      [
        'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36',
        'Chrome on Linux',
      ],
      [
        'Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/25.0 Chrome/121.0 Mobile Safari/537.36',
        'Samsung Internet on Android',
      ],
      ['curl/8.5.0', 'curl/8.5.0'],
      [undefined, 'Unknown device'],
      ['\u0000'.repeat(3), 'Unknown device'],
      ['x'.repeat(300), 'Unknown device'],
    ];
    for (const [agent, expected] of cases) assert.equal(deviceName(agent), expected, agent);
  });
});
