// The start-up check in functions/index.ts: every bad setting is named in the log, no secret value is.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Logger } from '../../../core/log';
import { reportConfigProblems } from '../../../functions/index';

function recordingLogger() {
  const lines: Array<{ level: string; message: string; fields?: unknown }> = [];
  const at = (level: string) => (message: string, fields?: unknown) => lines.push({ level, message, fields });
  const logger: Logger = { info: at('info'), warn: at('warn'), error: at('error') };
  return { logger, lines };
}

describe('reportConfigProblems', () => {
  it('names each missing or malformed setting, without echoing secret values', () => {
    const { logger, lines } = recordingLogger();
    const ok = reportConfigProblems(
      { CATAPULT_API_TOKEN: 'tok-value', APP_SECRET: 'too-short-secret-value', PUBLIC_BASE_URL: 'not a url' },
      logger,
    );
    assert.equal(ok, false);
    const settings = lines.map((line) => (line.fields as { setting: string }).setting);
    for (const name of [
      'CATAPULT_USER_ID',
      'CATAPULT_API_SECRET',
      'APP_SECRET',
      'PUBLIC_BASE_URL',
      'AzureWebJobsStorage',
    ]) {
      assert.ok(settings.includes(name), `${name} should be named; got ${settings.join(', ')}`);
    }
    assert.ok(lines.every((line) => line.level === 'error' && line.message.startsWith('config-invalid: ')));
    const text = JSON.stringify(lines);
    assert.ok(!text.includes('tok-value') && !text.includes('too-short-secret-value'), 'no secret value in the log');
  });

  it('logs nothing for a valid configuration', () => {
    const { logger, lines } = recordingLogger();
    const ok = reportConfigProblems(
      {
        CATAPULT_USER_ID: 'u-abc',
        CATAPULT_API_TOKEN: 't-abc',
        CATAPULT_API_SECRET: 's-abc',
        CATAPULT_DOMAIN_NAME: 'vra-test',
        PUBLIC_BASE_URL: 'https://voice.example.test',
        AzureWebJobsStorage: 'UseDevelopmentStorage=true',
        APP_SECRET: 'x'.repeat(40),
      },
      logger,
    );
    assert.deepEqual(lines, []);
    assert.equal(ok, true);
  });
});
