// The audit trail over a whole account journey: one "audit {json}" line per log-in, passkey use, SIP password
// reveal and session end, with user, client address, device and outcome; refusals and failures too; never a
// secret in any line the core writes.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AUDIT_PREFIX, type AuditEvent } from '../../../../core/accounts/audit';
import { createVoiceApp } from '../../../../core/create-voice-app';
import type { Logger } from '../../../../core/log';
import { testConfig } from '../support/test-config';
import { accountsApp, DIALPAD_ORIGIN, LAPTOP, PHONE } from './support';

/** A second app over the same tables and clock as `made`, writing to `logger`. */
function sameAppLoggingTo(made: ReturnType<typeof accountsApp>, logger: Logger) {
  return createVoiceApp({
    config: testConfig({ DIALPAD_ORIGIN }),
    catapult: made.catapult,
    tables: made.tables,
    now: () => made.clock.now,
    sweepIntervalMs: 0,
    logger,
  });
}

function capturingLogger() {
  const lines: string[] = [];
  const record = (level: string) => (message: string, fields?: Record<string, unknown>) =>
    lines.push(`${level} ${message}${fields === undefined ? '' : ` ${JSON.stringify(fields)}`}`);
  const logger: Logger = { info: record('info'), warn: record('warn'), error: record('error') };
  const audit = () =>
    lines
      .map((line) => line.slice(line.indexOf(' ') + 1))
      .filter((message) => message.startsWith(AUDIT_PREFIX))
      .map((message) => JSON.parse(message.slice(AUDIT_PREFIX.length)) as AuditEvent);
  return { lines, logger, audit };
}

describe('audit trail', () => {
  it('records each account event with user, address, device and outcome, and never a secret', async () => {
    const { lines, logger, audit } = capturingLogger();
    const made = accountsApp();
    const { app, authenticator, bearer, addPasskey } = made; // app's own logger is silent
    const audited = sameAppLoggingTo(made, logger);
    made.catapult.available.add('+19195557001');
    const { session: signedUp } = await audited.signUp({ username: 'alice', number: '+19195557001' }, PHONE);
    await audited.logIn({ username: 'nobody' }, LAPTOP).catch(() => undefined);
    const sip = await audited.getSipCredentials(await audited.authenticate(bearer(signedUp)), PHONE);
    await addPasskey(signedUp); // through the silent app: not in this trail
    await audited.logIn({ username: 'alice' }, LAPTOP).catch(() => undefined);
    const bad = (await audited.passkeyLoginOptions({})).options;
    await audited
      .logInWithPasskey({ response: authenticator.authenticate(bad, { origin: 'https://evil.example.net' }) }, LAPTOP)
      .catch(() => undefined);
    const good = (await audited.passkeyLoginOptions({})).options;
    const viaPasskey = await audited.logInWithPasskey({ response: authenticator.authenticate(good) }, LAPTOP);
    const user = await audited.authenticate(bearer(viaPasskey));
    const stepUp = (await audited.stepUpOptions(user)).options;
    await audited.stepUp(user, { response: authenticator.authenticate(stepUp) }, LAPTOP);
    await audited.endSession(user, signedUp.sessionId, LAPTOP);
    await audited.endAllSessions(user, LAPTOP);
    await app.logIn({ username: 'alice' }).catch(() => undefined); // the silent app: not recorded here

    assert.deepEqual(
      audit().map((e) => [
        e.event,
        e.user ?? '-',
        e.method ?? '-',
        e.outcome,
        e.reason ?? '-',
        e.clientAddress,
        e.device,
      ]),
      [
        ['login', 'alice', 'signup', 'success', '-', '203.0.113.7', 'Chrome on Android'],
        ['login', 'nobody', 'username', 'refused', 'user-not-found', '198.51.100.20', 'Firefox on Linux'],
        ['sip-password-revealed', 'alice', '-', 'success', '-', '203.0.113.7', 'Chrome on Android'],
        ['login', 'alice', 'username', 'refused', 'passkey-required', '198.51.100.20', 'Firefox on Linux'],
        ['login', '-', 'passkey', 'refused', 'passkey-invalid', '198.51.100.20', 'Firefox on Linux'],
        ['login', 'alice', 'passkey', 'success', '-', '198.51.100.20', 'Firefox on Linux'],
        ['step-up', 'alice', '-', 'success', '-', '198.51.100.20', 'Firefox on Linux'],
        ['session-ended', 'alice', '-', 'success', '-', '198.51.100.20', 'Firefox on Linux'],
        ['sip-password-rotated', 'alice', '-', 'success', '-', '198.51.100.20', 'Firefox on Linux'],
        ['sessions-ended', 'alice', '-', 'success', '-', '198.51.100.20', 'Firefox on Linux'],
      ],
    );
    const events = audit();
    assert.equal(events[5]!.sessionId, viaPasskey.sessionId);
    assert.equal(events[5]!.passkeyId, authenticator.credentials[0]!.id);
    assert.equal(events[7]!.sessionId, signedUp.sessionId, 'which session was ended');
    assert.equal(events[8]!.sessionId, viaPasskey.sessionId, 'the rotation names the session that asked');
    assert.equal(events[9]!.count, 1);
    assert.ok(
      lines.some((line) => line.startsWith('warn audit ')),
      'refusals are warnings',
    );

    const text = lines.join('\n');
    for (const secret of [
      signedUp.token,
      signedUp.refreshToken,
      signedUp.refreshToken.split('.')[3]!,
      viaPasskey.token,
      viaPasskey.refreshToken.split('.')[3]!,
      sip.password,
    ]) {
      assert.equal(text.includes(secret), false, `leaked ${secret.slice(0, 6)}…`);
    }
    assert.doesNotMatch(text, /Mozilla/, 'the whole User-Agent is not kept');
  });

  it('a dependency failure is recorded as an error, not as a refusal', async () => {
    const { logger, audit } = capturingLogger();
    const made = accountsApp();
    const app = sameAppLoggingTo(made, logger);
    await made.signUp('alice');
    made.tables.accounts.down = true;
    await assert.rejects(app.logIn({ username: 'alice' }, PHONE));
    assert.deepEqual(
      audit().map((e) => [e.event, e.outcome, e.reason]),
      [['login', 'error', 'storage-unavailable']],
    );
  });
});
