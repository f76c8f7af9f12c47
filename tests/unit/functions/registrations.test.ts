// The Function App as the worker sees it: package.json "main" names index + one file per function,
// each file registers exactly one function named after itself, with the documented method and route.
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
  { name: 'health-get', methods: ['GET'], route: 'health' },
  { name: 'login-create', methods: ['POST'], route: 'login' },
  { name: 'me-calls-decline', methods: ['POST'], route: 'me/calls/{callId}/decline' },
  { name: 'me-calls-list', methods: ['GET'], route: 'me/calls' },
  { name: 'me-dial-check-get', methods: ['GET'], route: 'me/dial-check' },
  { name: 'me-get', methods: ['GET'], route: 'me' },
  { name: 'me-notifications-negotiate', methods: ['POST'], route: 'me/notifications/negotiate' },
  { name: 'me-sip-get', methods: ['GET'], route: 'me/sip' },
  { name: 'me-webrtc-token-create', methods: ['POST'], route: 'me/webrtc-token' },
  { name: 'numbers-search', methods: ['GET'], route: 'numbers' },
  { name: 'users-create', methods: ['POST'], route: 'users' },
];

/** Modules the main glob loads for their app.hook registrations only (no HTTP function). */
const HOOK_MODULES = ['dialpad-publish'];
/** Timer-triggered functions and their NCRONTAB schedules. */
const TIMERS = [{ name: 'calls-overdue-end', schedule: '0 * * * * *', runOnStartup: false }];
const MAIN_MODULES = [
  'index',
  ...[...EXPECTED.map((e) => e.name), ...HOOK_MODULES, ...TIMERS.map((t) => t.name)].sort(),
];

describe('function registrations (sources)', () => {
  it('registers every function once, named after its file, anonymous, with its method and route', () => {
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
      EXPECTED.map((e) => ({ ...e, file: e.name, auth: 'anonymous' })),
    );
  });

  it('registers every timer once, named after its file; the overdue-call check runs at the start of every minute', () => {
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
      EXPECTED.map((e) => [e.name, e.route, e.methods]),
    );
  });
});
