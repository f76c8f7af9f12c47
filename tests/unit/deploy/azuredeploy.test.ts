// azuredeploy.json, checked offline: the lint rules (and that each rule can fail), and that the
// deployed app gets every setting the code reads, derived from CONFIG_SETTINGS rather than a copy.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { CONFIG_SETTINGS, DOMAIN_SUFFIX_LENGTH, loadConfig } from '../../../core/config';
import { calledFunctions, evaluate, parseExpression, referencedNames } from './arm-expression';
import { lintArmTemplate, sampleScope, type ArmResource, type ArmTemplate } from './arm-template-lint';

const TEMPLATE_PATH = join(__dirname, '..', '..', '..', 'azuredeploy.json');
const raw = readFileSync(TEMPLATE_PATH, 'utf8');
const template = JSON.parse(raw) as ArmTemplate;
const clone = (): ArmTemplate => JSON.parse(raw) as ArmTemplate;

function resourceOfType(t: ArmTemplate, type: string): ArmResource {
  const found = (t.resources ?? []).filter((r) => r.type.toLowerCase() === type.toLowerCase());
  assert.equal(found.length, 1, `exactly one ${type}`);
  return found[0]!;
}
const site = resourceOfType(template, 'Microsoft.Web/sites');
const siteConfig = (site.properties as { siteConfig: Record<string, unknown> }).siteConfig;
// Set by their own resource, after the identity may read the vault (azuredeploy-secrets.test.ts says why)
const appSettings = new Map(
  Object.entries(resourceOfType(template, 'Microsoft.Web/sites/config').properties as Record<string, string>),
);
/** Reached with the Function App's identity: the template sets the account name instead (core/storage/storage-access.ts). */
const IDENTITY_STORAGE = ['AzureWebJobsStorage', 'AzureWebJobsStorage__accountName'];

describe('azuredeploy.json passes the offline lint', () => {
  it('has no problems', () => {
    assert.deepEqual(lintArmTemplate(template), []);
  });

  it('contains no comments and is plain JSON (the Deploy button rejects comments)', () => {
    assert.doesNotMatch(raw, /^\s*\/\/|\/\*/m);
  });

  // Each injected fault must be reported: a lint that cannot fail proves nothing.
  const faults: Array<[string, (t: ArmTemplate) => void, RegExp]> = [
    ['missing $schema', (t) => delete t.$schema, /\$schema/],
    ['bad contentVersion', (t) => (t.contentVersion = '1'), /contentVersion/],
    [
      'undeclared parameter',
      (t) => (t.outputs!.extra = { type: 'string', value: "[parameters('nope')]" }),
      /parameter nope is used but not declared/,
    ],
    [
      'unused parameter',
      (t) => (t.parameters!.spare = { type: 'string', metadata: { description: 'x' } }),
      /parameter spare is declared but never used/,
    ],
    ['unused variable', (t) => (t.variables!.spare = 'x'), /variable spare is declared but never used/],
    [
      'unbalanced expression',
      (t) => (t.variables!.planName = "[concat(parameters('appName'), '-plan']"),
      /expected|unbalanced/,
    ],
    [
      'unterminated string',
      (t) => (t.variables!.planName = "[concat(parameters('appName), '-plan')]"),
      /unterminated|expected/,
    ],
    [
      'secure default',
      (t) => (t.parameters!.catapultApiToken!.defaultValue = 'abc'),
      /secure parameter catapultApiToken has a default/,
    ],
    [
      'secret in output',
      (t) => (t.outputs!.leak = { type: 'string', value: "[parameters('catapultApiSecret')]" }),
      /output leak exposes parameter catapultApiSecret/,
    ],
    [
      'listKeys in output',
      (t) =>
        (t.outputs!.leak = {
          type: 'string',
          value:
            "[listKeys(resourceId('Microsoft.Storage/storageAccounts', variables('storageAccountName')), '2023-05-01').keys[0].value]",
        }),
      /output leak exposes listkeys/,
    ],
    ['missing apiVersion', (t) => delete t.resources![0]!.apiVersion, /has no valid apiVersion/],
    ['hard-coded location', (t) => (t.resources![0]!.location = 'westeurope'), /hard-coded location/],
    ['hard-coded location default', (t) => (t.parameters!.location!.defaultValue = 'eastus'), /hard-coded region/],
    [
      'dangling dependsOn',
      (t) => site0(t).dependsOn!.push("[resourceId('Microsoft.Web/serverfarms', 'other-plan')]"),
      /does not declare/,
    ],
    ['missing description', (t) => delete t.parameters!.appName!.metadata, /appName has no metadata.description/],
  ];
  for (const [name, inject, expected] of faults) {
    it(`reports ${name}`, () => {
      const broken = clone();
      inject(broken);
      const problems = lintArmTemplate(broken);
      assert.ok(
        problems.some((p) => expected.test(p)),
        `expected ${expected} in ${JSON.stringify(problems)}`,
      );
    });
  }
});

/** The provider a setting belongs to, by its name; undefined for the settings both share. */
function providerOf(name: string): 'catapult' | 'bandwidth' | undefined {
  if (name.startsWith('CATAPULT_')) return 'catapult';
  if (name.startsWith('BANDWIDTH_') || name.startsWith('WEB_PUBSUB_')) return 'bandwidth';
  return undefined;
}

/**
 * Every app setting as the app would read it from these answers (every other parameter at its default): the
 * expressions evaluated, then each Key Vault reference resolved as App Service does, from the secret resource
 * it names, which must be deployed (its condition true) for the reference to resolve.
 */
function evaluatedSettings(answers: Record<string, string>): Record<string, string> {
  const scope = sampleScope(template, answers);
  // values only Azure can compute (reference, listKeys) get stand-ins of the same shape
  const runtimeOnly: Record<string, string> = {
    APPLICATIONINSIGHTS_CONNECTION_STRING: 'InstrumentationKey=00000000-0000-0000-0000-000000000000',
    DIALPAD_ORIGIN: 'https://stx.z13.web.core.windows.net',
  };
  const listKeysStandIn = 'Endpoint=https://voiceref-pubsub.webpubsub.azure.com;AccessKey=a2V5;Version=1.0;';
  const secrets = new Map(
    (template.resources ?? [])
      .filter((r) => r.type === 'Microsoft.KeyVault/vaults/secrets')
      .map((r) => [String(evaluate(parseExpression(r.name), scope)), r] as const),
  );
  const resolve = (reference: string): string => {
    const [, vault, secret] = /^@Microsoft\.KeyVault\(VaultName=([^;]+);SecretName=([^)]+)\)$/.exec(reference)!;
    const resource = secrets.get(`${vault}/${secret}`);
    assert.ok(resource, `${reference} names a secret the template creates`);
    if (resource.condition !== undefined && evaluate(parseExpression(resource.condition), scope) !== true) {
      // the first deployment creates app-secret; later ones leave it as it is (azuredeploy-secrets.test.ts)
      assert.equal(secret, 'app-secret', `${reference} names a secret this deployment does not create`);
    }
    const value = String(resource.properties!.value);
    if (calledFunctions(parseExpression(value)).includes('listkeys')) return listKeysStandIn;
    return String(evaluate(parseExpression(value), scope));
  };
  const env: Record<string, string> = {};
  for (const [name, value] of appSettings) {
    if (runtimeOnly[name] !== undefined) env[name] = runtimeOnly[name];
    else env[name] = String(evaluate(parseExpression(value), scope));
    if (env[name].startsWith('@Microsoft.KeyVault(')) env[name] = resolve(env[name]);
  }
  return env;
}

function site0(t: ArmTemplate): ArmResource {
  return t.resources!.find((r) => r.type === 'Microsoft.Web/sites')!;
}

describe('app settings cover what the code reads (CONFIG_SETTINGS)', () => {
  it('sets every setting the code reads; storage by account name, never a connection string', () => {
    const missing = CONFIG_SETTINGS.map((s) => s.name).filter(
      (name) => !appSettings.has(name) && name !== 'AzureWebJobsStorage',
    );
    assert.deepEqual(missing, []);
    assert.equal(appSettings.has('AzureWebJobsStorage'), false, 'a connection string carries an account key');
    assert.equal(appSettings.get('AzureWebJobsStorage__accountName'), "[variables('storageAccountName')]");
  });

  it('asks for required settings (no default) and gives optional ones the code default', () => {
    for (const setting of CONFIG_SETTINGS) {
      if (setting.name === 'APP_NAME') continue; // the Function App's own name, argued in infra/README.md
      if (setting.name === 'DIALPAD_ORIGIN') continue; // the storage account's web endpoint: checked below
      if (IDENTITY_STORAGE.includes(setting.name)) continue; // the template's own account: checked above
      if (setting.secret) continue; // Key Vault references: azuredeploy-secrets.test.ts
      const value = appSettings.get(setting.name)!;
      const names = referencedNames(parseExpression(value), 'parameters');
      const provider = providerOf(setting.name);
      if (provider) {
        // One template for both providers: a provider's parameters are optional for the portal (empty by default)
        // and reach the app only when that provider is chosen; the app names a missing one at start-up.
        assert.match(value, new RegExp(`^\\[if\\(variables\\('${provider}'\\), .*, ''\\)\\]$`), setting.name);
        const own = names.filter((n) => n !== 'provider');
        if (own.length === 0 && calledFunctions(parseExpression(value)).includes('listkeys')) {
          // Computed by Azure from a resource the template creates for that provider (Web PubSub's key): nothing
          // to ask for, and no default to compare.
          assert.equal(setting.required, true, `${setting.name} is required where its resource exists`);
          continue;
        }
        assert.equal(own.length, 1, `${setting.name} comes from one parameter`);
        const expected = setting.required ? '' : setting.default;
        assert.equal(String(template.parameters![own[0]!]!.defaultValue), expected, `${setting.name} default`);
      } else if (setting.required) {
        for (const name of names.filter((n) => template.parameters![n]!.type !== 'securestring')) {
          assert.equal(
            template.parameters![name]!.defaultValue,
            undefined,
            `${setting.name} must be asked for (${name})`,
          );
        }
      } else {
        assert.equal(names.length, 1, `${setting.name} comes from one parameter`);
        assert.equal(String(template.parameters![names[0]!]!.defaultValue), setting.default, `${setting.name} default`);
      }
    }
  });

  it('yields settings the code accepts for Catapult, with every default and what a customer types', () => {
    const env = evaluatedSettings({
      provider: 'catapult',
      catapultUserId: 'u-abc123',
      catapultApiToken: 't-token',
      catapultApiSecret: 'secret',
      catapultDomainName: 'myvoiceapp',
      appSecret: '',
    });
    const result = loadConfig(env);
    assert.ok(result.ok, JSON.stringify(!result.ok && result.problems));
    assert.match(env.PUBLIC_BASE_URL!, /^https:\/\/voiceref-[a-z0-9]{13}\.azurewebsites\.net$/);
    for (const [name, value] of Object.entries(env)) {
      if (providerOf(name) === 'bandwidth') assert.equal(value, '', `${name} is empty on Catapult`);
    }
  });

  it('gives the app only the chosen provider’s settings, even when both were filled in', () => {
    const both = {
      provider: 'bandwidth',
      catapultUserId: 'u-abc123',
      catapultApiToken: 't-token',
      catapultApiSecret: 'secret',
      catapultDomainName: 'myvoiceapp',
      bandwidthAccountId: '9900001',
      bandwidthClientId: 'client',
      bandwidthClientSecret: 'client-secret',
      bandwidthWebRtcClientId: 'webrtc',
      bandwidthWebRtcClientSecret: 'webrtc-secret',
      bandwidthInAppNumbers: '+19195550100',
      appSecret: '',
    };
    const env = evaluatedSettings(both);
    for (const [name, value] of Object.entries(env)) {
      if (providerOf(name) === 'catapult') assert.equal(value, '', `${name} is empty on Bandwidth`);
    }
    assert.deepEqual(
      [env.BANDWIDTH_ACCOUNT_ID, env.BANDWIDTH_CLIENT_SECRET, env.BANDWIDTH_WEBRTC_CLIENT_SECRET, env.WEB_PUBSUB_HUB],
      ['9900001', 'client-secret', 'webrtc-secret', 'calls'],
    );
    const result = loadConfig(env);
    assert.ok(result.ok, JSON.stringify(!result.ok && result.problems));
    assert.equal(env.BANDWIDTH_IN_APP_NUMBERS, '+19195550100');
    assert.equal(env.BANDWIDTH_API_URL, 'https://api.bandwidth.com');
    assert.equal(env.BANDWIDTH_WEBRTC_GATEWAY_URL, 'wss://gw.webrtc-app.bandwidth.com:10081');
    assert.match(env.WEB_PUBSUB_CONNECTION_STRING!, /^Endpoint=https:\/\/.*;AccessKey=/);
  });

  it('asks which provider, with no default; every credential is optional, the secret ones securestring', () => {
    const p = template.parameters!;
    assert.deepEqual(p.provider!.allowedValues, ['bandwidth', 'catapult']);
    assert.equal(p.provider!.defaultValue, undefined, 'the customer chooses');
    for (const name of [
      'catapultApiToken',
      'catapultApiSecret',
      'bandwidthClientSecret',
      'bandwidthWebRtcClientSecret',
    ]) {
      assert.equal(p[name]!.type, 'securestring', name);
    }
    for (const name of ['catapultUserId', 'catapultDomainName', 'bandwidthAccountId', 'bandwidthClientId']) {
      assert.equal(p[name]!.type, 'string', name);
    }
    assert.equal(
      appSettings.get('CATAPULT_API_TOKEN'),
      "[if(and(variables('catapult'), not(empty(parameters('catapultApiToken')))), concat('@Microsoft.KeyVault(VaultName=', variables('keyVaultName'), ';SecretName=catapult-api-token)'), '')]",
    );
    assert.equal(
      appSettings.get('BANDWIDTH_CLIENT_SECRET'),
      "[if(and(variables('bandwidth'), not(empty(parameters('bandwidthClientSecret')))), concat('@Microsoft.KeyVault(VaultName=', variables('keyVaultName'), ';SecretName=bandwidth-client-secret)'), '')]",
    );
    assert.equal(template.variables!.bandwidth, "[equals(parameters('provider'), 'bandwidth')]");
  });

  it('limits the domain name to what the code accepts once the random suffix is added', () => {
    assert.equal(template.parameters!.catapultDomainName!.maxLength, 63 - 1 - DOMAIN_SUFFIX_LENGTH);
    assert.match(String(template.parameters!.catapultDomainName!.metadata!.description), /lowercase letters, digits/);
  });

  it('binds passkeys to the origin CORS allows: DIALPAD_ORIGIN is the static website without its slash', () => {
    const origins = (site0(template).properties!.siteConfig as { cors: { allowedOrigins: string[] } }).cors
      .allowedOrigins;
    assert.deepEqual(origins, [appSettings.get('DIALPAD_ORIGIN')]);
    assert.match(appSettings.get('DIALPAD_ORIGIN')!, /primaryEndpoints\.web/);
    assert.equal(template.parameters!.requirePasskey!.type, 'bool');
  });

  it('points PUBLIC_BASE_URL at the app itself and APP_NAME at the app name', () => {
    assert.equal(appSettings.get('PUBLIC_BASE_URL'), "[variables('publicBaseUrl')]");
    // host names are lower case, and APP_NAME must be (core/config.ts), whatever case was typed
    assert.equal(
      template.variables!.publicBaseUrl,
      "[concat('https://', toLower(parameters('appName')), '.azurewebsites.net')]",
    );
    assert.equal(appSettings.get('APP_NAME'), "[toLower(parameters('appName'))]");
    assert.equal(template.parameters!.appName!.maxLength, 40, 'APP_NAME allows at most 40 characters');
  });
});

describe('resources are configured as argued in infra/README.md', () => {
  it('Web PubSub (Bandwidth only): serverless, Free_F1 by default, its key reaching the app through Key Vault', () => {
    const pubsub = resourceOfType(template, 'Microsoft.SignalRService/webPubSub');
    assert.equal(pubsub.condition, "[variables('bandwidth')]", 'created only for Bandwidth');
    assert.equal(pubsub.kind, 'WebPubSub');
    assert.equal(template.parameters!.webPubSubSku!.defaultValue, 'Free_F1');
    assert.deepEqual(pubsub.sku, {
      name: "[parameters('webPubSubSku')]",
      tier: "[first(split(parameters('webPubSubSku'), '_'))]",
      capacity: 1,
    });
    // The app signs its REST calls and the dialpads' tokens with the access key: local auth must stay on.
    assert.equal((pubsub.properties as { disableLocalAuth: boolean }).disableLocalAuth, false);
    const value = appSettings.get('WEB_PUBSUB_CONNECTION_STRING')!;
    assert.equal(
      value,
      "[if(variables('bandwidth'), concat('@Microsoft.KeyVault(VaultName=', variables('keyVaultName'), ';SecretName=web-pubsub-connection-string)'), '')]",
    );
    const secret = (template.resources ?? []).find((r) => r.name.endsWith("'/web-pubsub-connection-string')]"))!;
    assert.equal(secret.condition, "[variables('bandwidth')]");
    assert.match(String(secret.properties!.value), /^\[listKeys\(resourceId\('Microsoft\.SignalRService\/webPubSub'/);
    assert.ok(
      secret.dependsOn!.includes("[resourceId('Microsoft.SignalRService/webPubSub', variables('webPubSubName'))]"),
    );
  });

  it('storage: StorageV2, TLS 1.2, https only, no public blob containers, no shared key', () => {
    const storage = resourceOfType(template, 'Microsoft.Storage/storageAccounts');
    assert.equal(storage.kind, 'StorageV2');
    assert.deepEqual(
      { ...(storage.properties as object) },
      {
        accessTier: 'Hot',
        supportsHttpsTrafficOnly: true,
        minimumTlsVersion: 'TLS1_2',
        allowBlobPublicAccess: false,
        allowSharedKeyAccess: false,
        defaultToOAuthAuthentication: true,
      },
    );
  });

  it('function app: Flex Consumption FC1 on Linux, Node 22, https only, onedeploy from a pinned packageUri', () => {
    const plan = resourceOfType(template, 'Microsoft.Web/serverfarms');
    assert.deepEqual(plan.sku, { name: 'FC1', tier: 'FlexConsumption' });
    assert.equal((plan.properties as { reserved: boolean }).reserved, true);
    assert.equal(site.kind, 'functionapp,linux');
    const props = site.properties as { httpsOnly: boolean; functionAppConfig: { runtime: unknown } };
    assert.equal(props.httpsOnly, true);
    assert.deepEqual(props.functionAppConfig.runtime, { name: 'node', version: '22' });
    assert.equal(appSettings.has('WEBSITE_RUN_FROM_PACKAGE'), false, 'not supported on Flex Consumption');
    const deploy = resourceOfType(template, 'Microsoft.Web/sites/extensions');
    assert.match(deploy.name, /'\/onedeploy'\)\]$/);
    assert.deepEqual(deploy.properties, { packageUri: "[parameters('packageUri')]", remoteBuild: false });
    // one version's release asset, the version package.json names (npm run package builds it), never "latest"
    const version = (
      JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as {
        version: string;
      }
    ).version;
    assert.equal(
      template.parameters!.packageUri!.defaultValue,
      `https://github.com/YOUR-GITHUB-ORG/voice-reference-app/releases/download/v${version}/voice-reference-app.zip`,
    );
    assert.doesNotMatch(raw, /releases\/latest/);
  });

  it('CORS allows exactly the static website origin, without credentials', () => {
    const cors = siteConfig.cors as { allowedOrigins: string[]; supportCredentials: boolean };
    assert.equal(cors.supportCredentials, false, 'bearer tokens, no cookies');
    assert.equal(cors.allowedOrigins.length, 1);
    const origin = parseExpression(cors.allowedOrigins[0]!);
    // take(web, length(web) - 1): the endpoint without its trailing slash, as browsers send Origin
    assert.equal(origin.kind === 'call' && origin.name, 'take');
    assert.match(
      cors.allowedOrigins[0]!,
      /primaryEndpoints\.web, sub\(length\(reference\(.*\)\.primaryEndpoints\.web\), 1\)\)\]$/,
    );
  });

  it('Application Insights is workspace-based and wired through its connection string', () => {
    const insights = resourceOfType(template, 'Microsoft.Insights/components');
    assert.match(
      String((insights.properties as { WorkspaceResourceId: string }).WorkspaceResourceId),
      /Microsoft\.OperationalInsights\/workspaces/,
    );
    assert.match(appSettings.get('APPLICATIONINSIGHTS_CONNECTION_STRING')!, /\.ConnectionString\]$/);
  });

  it('outputs the dialpad and API URLs, and nothing else', () => {
    assert.deepEqual(Object.keys(template.outputs!).sort(), ['apiUrl', 'dialpadUrl', 'healthUrl']);
    for (const output of Object.values(template.outputs!)) assert.equal(output.type, 'string');
  });
});
