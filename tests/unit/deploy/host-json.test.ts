// host.json keeps every trace out of Application Insights' adaptive sampling: the audit trail is written as traces
// (core/accounts/audit.ts), and an audit trail that drops lines under load is no audit trail.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'node:test';

it('excludes requests and traces from sampling', () => {
  const host = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'host.json'), 'utf8')) as {
    logging: { applicationInsights: { samplingSettings: { isEnabled: boolean; excludedTypes: string } } };
  };
  const sampling = host.logging.applicationInsights.samplingSettings;
  const excluded = sampling.excludedTypes.split(';').map((type) => type.trim());
  assert.ok(excluded.includes('Trace'), 'audit lines are traces and must never be sampled away');
  assert.ok(excluded.includes('Request'));
});
