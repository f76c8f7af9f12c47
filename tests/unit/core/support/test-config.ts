import { loadConfig, type CatapultAppConfig } from '../../../../core/config';

export const TEST_ENV = {
  CATAPULT_USER_ID: 'u-test123',
  CATAPULT_API_TOKEN: 't-token',
  CATAPULT_API_SECRET: 'secret-value-xyz',
  CATAPULT_DOMAIN_NAME: 'voiceref',
  PUBLIC_BASE_URL: 'https://app.example.com',
  AzureWebJobsStorage: 'UseDevelopmentStorage=true',
  APP_SECRET: 'an-app-secret-that-is-long-enough-0123456789',
} satisfies Record<string, string>;

export function testConfig(overrides: Record<string, string> = {}): CatapultAppConfig {
  const result = loadConfig({ ...TEST_ENV, ...overrides });
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  if (result.config.provider !== 'catapult') throw new Error('expected a Catapult config');
  return result.config;
}
