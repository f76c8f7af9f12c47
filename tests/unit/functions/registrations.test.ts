// The Function App as the worker sees it: package.json "main" names index + one file per function,
// each file registers exactly one function named after itself, with the documented method, route and auth level
// (the operator's functions need a function key), and the maintenance timer with its schedule.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { globToRegExp, loadFunctionApp, resolveMainFiles } from '../../../dev/function-registry';
import { parseSchedule } from '../../../dev/ncrontab';
import { buildCompiledApp, type CompiledApp } from '../../support/compiled-app';

const EXPECTED = [
  { name: 'bandwidth-callbacks-receive', methods: ['POST'], route: 'bandwidth/callbacks/{kind:alpha?}' },
  { name: 'catapult-events-receive', methods: ['POST', 'GET'], route: 'catapult/events' },
  { name: 'doctor-get', methods: ['GET'], route: 'ops/doctor' },
  { name: 'doctor-repair', methods: ['POST'], route: 'ops/doctor/repair' },
  { name: 'health-get', methods: ['GET'], route: 'health' },
  { name: 'login-create', methods: ['POST'], route: 'login' },
  { name: 'login-passkey-create', methods: ['POST'], route: 'login/passkey' },
  { name: 'login-passkey-options-create', methods: ['POST'], route: 'login/passkey/options' },
  { name: 'me-calls-decline', methods: ['POST'], route: 'me/calls/{callId}/decline' },
  { name: 'me-calls-list', methods: ['GET'], route: 'me/calls' },
  { name: 'me-dial-check-get', methods: ['GET'], route: 'me/dial-check' },
  { name: 'me-get', methods: ['GET'], route: 'me' },
  { name: 'me-notifications-negotiate', methods: ['POST'], route: 'me/notifications/negotiate' },
  { name: 'me-passkey-delete', methods: ['DELETE'], route: 'me/passkeys/{passkeyId}' },
  { name: 'me-passkeys-create', methods: ['POST'], route: 'me/passkeys' },
  { name: 'me-passkeys-list', methods: ['GET'], route: 'me/passkeys' },
  { name: 'me-passkeys-options-create', methods: ['POST'], route: 'me/passkeys/options' },
  { name: 'me-session-delete', methods: ['DELETE'], route: 'me/sessions/{sessionId}' },
  { name: 'me-sessions-delete', methods: ['DELETE'], route: 'me/sessions' },
  { name: 'me-sessions-list', methods: ['GET'], route: 'me/sessions' },
  { name: 'me-sip-get', methods: ['GET'], route: 'me/sip' },
  { name: 'me-sip-password-create', methods: ['POST'], route: 'me/sip/password' },
  { name: 'me-step-up-create', methods: ['POST'], route: 'me/step-up' },
  { name: 'me-step-up-options-create', methods: ['POST'], route: 'me/step-up/options' },
  { name: 'me-voicemail-audio-get', methods: ['GET'], route: 'me/voicemails/{voicemailId}/audio' },
  { name: 'me-voicemail-delete', methods: ['DELETE'], route: 'me/voicemails/{voicemailId}' },
  { name: 'me-voicemail-greeting-delete', methods: ['DELETE'], route: 'me/voicemail/greeting' },
  { name: 'me-voicemail-greeting-get', methods: ['GET'], route: 'me/voicemail/greeting' },
  { name: 'me-voicemail-greeting-put', methods: ['PUT'], route: 'me/voicemail/greeting' },
  { name: 'me-voicemail-update', methods: ['PATCH'], route: 'me/voicemails/{voicemailId}' },
  { name: 'me-voicemails-list', methods: ['GET'], route: 'me/voicemails' },
  { name: 'me-webrtc-token-create', methods: ['POST'], route: 'me/webrtc-token' },
  { name: 'numbers-search', methods: ['GET'], route: 'numbers' },
  { name: 'outbound-breaker-get', methods: ['GET'], route: 'ops/outbound-breaker' },
  { name: 'outbound-breaker-lift', methods: ['POST'], route: 'ops/outbound-breaker/lift' },
  { name: 'token-create', methods: ['POST'], route: 'token' },
  { name: 'users-create', methods: ['POST'], route: 'users' },
  { name: 'voicemail-greeting-get', methods: ['GET'], route: 'voicemail/greetings/{username}' },
  { name: 'voicemail-tone-get', methods: ['GET'], route: 'voicemail/tone' },
];

/** Functions only an operator holding a key may call; every other one is anonymous. */
const KEYED = new Set(['doctor-get', 'doctor-repair', 'outbound-breaker-get', 'outbound-breaker-lift']);
const TIMERS = [
  { name: 'calls-overdue-end', schedule: '0 * * * * *', runOnStartup: false },
  { name: 'maintenance-run', schedule: '0 */5 * * * *', runOnStartup: true },
];
/** Modules the main glob loads for their app.hook registrations only (no function). */
const HOOK_MODULES = ['dialpad-publish'];
const MAIN_MODULES = [
  'index',
  ...[...EXPECTED.map((e) => e.name), ...TIMERS.map((t) => t.name), ...HOOK_MODULES].sort(),
];

describe('function registrations (sources)', () => {
  it('registers every HTTP function once, named after its file, with its method, route and auth level', () => {
    const { registrations } = loadFunctionApp();
    const seen = registrations
      .map((r) => ({
        name: r.name,
        methods: r.methods,
        route: r.route,
        file: basename(r.file, '.ts'),
        auth: r.authLevel,
      }))
      .sort((a, b) => a.name.localeCompare(b.name));
    assert.deepEqual(
      seen,
      EXPECTED.map((e) => ({ ...e, file: e.name, auth: KEYED.has(e.name) ? 'function' : 'anonymous' })),
    );
  });

  it('registers every timer once, named after its file (maintenance every 5 minutes and at start); the overdue-call check runs at the start of every minute', () => {
    const { timers } = loadFunctionApp();
    assert.deepEqual(
      timers.map((t) => ({
        name: t.name,
        schedule: t.schedule,
        runOnStartup: t.runOnStartup,
        file: basename(t.file, '.ts'),
      })),
      TIMERS.map((t) => ({ ...t, file: t.name })),
    );
    const schedule = parseSchedule(timers[0]!.schedule);
    const next = schedule.next(new Date('2026-11-26T10:00:30Z'));
    assert.equal(next.toISOString(), '2026-11-26T10:01:00.000Z');
    assert.equal(schedule.next(next).toISOString(), '2026-11-26T10:02:00.000Z');
  });

  it('loads the composition root first and no helper module as a function file', () => {
    const files = resolveMainFiles(false).map((file) => basename(file));
    assert.deepEqual(
      files,
      MAIN_MODULES.map((name) => `${name}.ts`),
    );
  });
});

describe('globToRegExp', () => {
  it('matches the main glob the way the worker does', () => {
    const main = globToRegExp('dist/functions/{index.js,*-*.js}');
    assert.ok(main.test('dist/functions/index.js'));
    assert.ok(main.test('dist/functions/me-sip-get.js'));
    assert.ok(!main.test('dist/functions/http.js'));
    assert.ok(!main.test('dist/functions/me-sip-get.js.map'));
    assert.ok(!main.test('dist/functions/sub/me-get.js'));
  });
});

describe('compiled output (npm run build, into a temporary folder)', () => {
  let built: CompiledApp;
  before(async () => {
    built = await buildCompiledApp();
  });
  after(() => built?.remove());

  it('emits exactly the files "main" names, and they register every function under plain Node', () => {
    const compiled = readdirSync(join(built.root, 'dist', 'functions')).filter((f) => f.endsWith('.js'));
    const named = resolveMainFiles(true, built.root).map((file) => basename(file));
    assert.deepEqual(
      named,
      MAIN_MODULES.map((name) => `${name}.js`),
    );
    for (const file of named) assert.ok(compiled.includes(file));
    assert.ok(existsSync(join(built.root, 'dist', 'core', 'errors.js')));

    // A separate plain Node process (no tsx) loads the compiled files in "main" order, as the worker would.
    const script = `
      const { app } = require('@azure/functions');
      const seen = [];
      app.http = (name, options) => seen.push([name, options.route, options.methods]);
      app.timer = (name, options) => seen.push([name, options.schedule]);
      for (const file of ${JSON.stringify(resolveMainFiles(true, built.root))}) require(file);
      process.stdout.write(JSON.stringify(seen));
    `;
    const output = execFileSync(process.execPath, ['-e', script], {
      cwd: built.root,
      stdio: ['ignore', 'pipe', 'pipe'],
      encoding: 'utf8',
    });
    const registered = (JSON.parse(output) as [string, string, string[]][]).sort((a, b) => a[0].localeCompare(b[0]));
    assert.deepEqual(
      registered,
      [...EXPECTED.map((e) => [e.name, e.route, e.methods]), ...TIMERS.map((t) => [t.name, t.schedule])].sort((a, b) =>
        String(a[0]).localeCompare(String(b[0])),
      ),
    );
  });
});
