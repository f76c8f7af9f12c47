// azuredeploy.json keeps secrets out of reach (infra/README.md "Secrets and identity"), checked offline: no list*()
// feeds an app setting, every secret setting is a Key Vault reference, the vault authorizes by RBAC, the Function
// App's managed identity holds exactly the data-plane roles it needs, and APP_SECRET is generated once.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { CONFIG_SETTINGS } from '../../../core/config';
import { calledFunctions, evaluate, parseExpression, type EvaluationScope } from './arm-expression';
import { collectStrings, sampleScope, type ArmResource, type ArmTemplate } from './arm-template-lint';

const raw = readFileSync(join(__dirname, '..', '..', '..', 'azuredeploy.json'), 'utf8');
const template = JSON.parse(raw) as ArmTemplate;
const clone = (): ArmTemplate => JSON.parse(raw) as ArmTemplate;

const ofType = (t: ArmTemplate, type: string): ArmResource[] => (t.resources ?? []).filter((r) => r.type === type);
const settingsOf = (t: ArmTemplate) => ofType(t, 'Microsoft.Web/sites/config')[0]!.properties as Record<string, string>;
const KEY_VAULT_REFERENCE = /^@Microsoft\.KeyVault\(VaultName=[a-z0-9-]+;SecretName=[a-z0-9-]+\)$/;

const ANSWERS: Array<Record<string, string>> = [
  { provider: 'catapult', catapultUserId: 'u-abc', catapultDomainName: 'voice', signupCode: '' },
  { provider: 'bandwidth', bandwidthAccountId: '9900001', bandwidthClientId: 'c', bandwidthWebRtcClientId: 'w' },
  { provider: 'catapult', signupCode: 'SENTINEL-signupCode' },
];

/** Problems with how the app's settings carry secrets; empty when every secret stays in the vault. */
function secretProblems(t: ArmTemplate): string[] {
  const problems: string[] = [];
  const secureParameters = Object.entries(t.parameters ?? {})
    .filter(([, p]) => p.type.toLowerCase() === 'securestring')
    .map(([name]) => name);
  // Anything that can read a secret (listKeys, listSecrets, …) anywhere on the site or in its settings
  for (const resource of (t.resources ?? []).filter((r) => r.type.startsWith('Microsoft.Web/sites'))) {
    for (const text of collectStrings(resource)) {
      if (!text.startsWith('[')) continue;
      const list = calledFunctions(parseExpression(text)).filter((fn) => fn.startsWith('list'));
      if (list.length > 0) problems.push(`${resource.type} calls ${list.join(', ')}`);
    }
  }
  // Every secure parameter's value, as a customer might type it, must not reach any setting in plain text
  for (const answers of ANSWERS) {
    const typed = Object.fromEntries(secureParameters.map((name) => [name, `SENTINEL-${name}`]));
    const scope = sampleScope(t, { ...typed, ...answers });
    for (const [name, value] of Object.entries(settingsOf(t))) {
      let evaluated: string;
      try {
        evaluated = String(evaluate(parseExpression(value), scope));
      } catch {
        continue; // reference(): a resource's public property (endpoints, the App Insights connection string)
      }
      if (evaluated.includes('SENTINEL-')) problems.push(`${name} carries a secret parameter in plain text`);
      const setting = CONFIG_SETTINGS.find((s) => s.name === name);
      if (setting?.secret && evaluated !== '' && !KEY_VAULT_REFERENCE.test(evaluated))
        problems.push(`${name} is a secret but not a Key Vault reference: ${evaluated}`);
    }
  }
  return problems;
}

describe('azuredeploy.json keeps secrets out of the app settings', () => {
  it('has no list*() on the site and no secret in plain app settings', () => {
    assert.deepEqual(secretProblems(template), []);
  });

  // Each injected fault must be reported: a check that cannot fail proves nothing.
  const faults: Array<[string, (t: ArmTemplate) => void, RegExp]> = [
    [
      'a storage key in a setting',
      (t) =>
        (settingsOf(t).AzureWebJobsStorage =
          "[concat('DefaultEndpointsProtocol=https;AccountName=', variables('storageAccountName'), ';AccountKey=', listKeys(variables('storageId'), '2023-05-01').keys[0].value)]"),
      /Microsoft\.Web\/sites\/config calls listkeys/,
    ],
    [
      'a plain secure parameter',
      (t) => (settingsOf(t).CATAPULT_API_TOKEN = "[if(variables('catapult'), parameters('catapultApiToken'), '')]"),
      /CATAPULT_API_TOKEN carries a secret parameter in plain text/,
    ],
    [
      'the sign-up code in plain text',
      (t) => (settingsOf(t).SIGNUP_CODE = "[parameters('signupCode')]"),
      /SIGNUP_CODE carries a secret parameter/,
    ],
    [
      'a secret derived from a key',
      (t) => (settingsOf(t).APP_SECRET = "[guid(resourceGroup().id, 'APP_SECRET')]"),
      /APP_SECRET is a secret but not a Key Vault reference/,
    ],
  ];
  for (const [name, inject, expected] of faults) {
    it(`reports ${name}`, () => {
      const broken = clone();
      inject(broken);
      const problems = secretProblems(broken);
      assert.ok(
        problems.some((p) => expected.test(p)),
        `expected ${expected} in ${JSON.stringify(problems)}`,
      );
    });
  }

  it('has no list*() anywhere but in the value of a Key Vault secret', () => {
    for (const resource of template.resources ?? []) {
      const where = resource.type === 'Microsoft.KeyVault/vaults/secrets' ? { ...resource, properties: {} } : resource;
      for (const text of collectStrings(where)) {
        if (text.startsWith('[')) {
          const list = calledFunctions(parseExpression(text)).filter((fn) => fn.startsWith('list'));
          assert.deepEqual(list, [], `${resource.type}: ${text}`);
        }
      }
    }
  });

  it('keeps every secret setting in its own Key Vault secret, created only when it has a value', () => {
    const secrets = new Map(ofType(template, 'Microsoft.KeyVault/vaults/secrets').map((r) => [r.name, r] as const));
    for (const setting of CONFIG_SETTINGS.filter((s) => s.secret && s.name !== 'AzureWebJobsStorage')) {
      const value = settingsOf(template)[setting.name]!;
      const secretName = /SecretName=([a-z0-9-]+)\)/.exec(value)?.[1];
      assert.ok(secretName, `${setting.name} names a secret`);
      const secret = secrets.get(`[concat(variables('keyVaultName'), '/${secretName}')]`);
      assert.ok(secret, `${setting.name}: the template creates ${secretName}`);
      if (setting.name === 'APP_SECRET') continue; // always set: generated once, below
      // the setting's condition and the secret's are one: a reference never names a secret that was not created
      const condition = String(secret.condition).slice(1, -1);
      assert.ok(value.startsWith(`[if(${condition}, concat('@Microsoft.KeyVault(`), `${setting.name}: ${value}`);
    }
  });
});

describe('the vault and the Function App’s identity', () => {
  const vault = ofType(template, 'Microsoft.KeyVault/vaults')[0]!;
  const site = ofType(template, 'Microsoft.Web/sites')[0]!;
  const assignments = ofType(template, 'Microsoft.Authorization/roleAssignments');

  it('the vault authorizes by RBAC (no access policies) and keeps deleted secrets recoverable', () => {
    const properties = vault.properties as Record<string, unknown>;
    assert.equal(properties.enableRbacAuthorization, true);
    assert.equal(properties.enableSoftDelete, true);
    assert.equal(properties.accessPolicies, undefined);
    assert.equal(properties.enabledForTemplateDeployment, false, 'no other template reads these secrets');
  });

  it('the site has a system-assigned identity and deploys its package with it', () => {
    assert.deepEqual(site.identity, { type: 'SystemAssigned' });
    const deployment = (site.properties as { functionAppConfig: { deployment: { storage: Record<string, unknown> } } })
      .functionAppConfig.deployment.storage;
    assert.deepEqual(deployment.authentication, { type: 'SystemAssignedIdentity' });
  });

  it('the identity holds exactly the roles the Functions host and the app need, where they need them', () => {
    const roles = template.variables!.roles as Record<string, string>;
    const granted = assignments.map((a) => {
      const properties = a.properties as { roleDefinitionId: string; principalId: string; principalType: string };
      assert.equal(
        properties.principalId,
        "[reference(variables('siteId'), '2024-04-01', 'full').identity.principalId]",
      );
      assert.equal(properties.principalType, 'ServicePrincipal');
      // a name of the scope, the site and the role: the same on every redeploy (a new one would fail as a duplicate)
      assert.match(a.name, /^\[guid\(.*variables\('siteId'\), .*\)\]$/);
      assert.ok(!a.name.toLowerCase().includes('newguid'));
      // role definitions named as the role assignments API documents them, under the subscription
      const role =
        /^\[subscriptionResourceId\('Microsoft\.Authorization\/roleDefinitions', (?:variables\('roles'\)\.(\w+)|variables\('(staticWebsiteRoleName)'\))\)\]$/.exec(
          properties.roleDefinitionId,
        );
      assert.ok(role, properties.roleDefinitionId);
      return `${String(a.scope)} ${role[1] ?? role[2]}`;
    });
    assert.deepEqual(granted.sort(), [
      "[resourceId('Microsoft.KeyVault/vaults', variables('keyVaultName'))] keyVaultSecretsUser",
      "[variables('storageId')] staticWebsiteRoleName",
      "[variables('storageId')] storageBlobDataOwner",
      "[variables('storageId')] storageQueueDataContributor",
      "[variables('storageId')] storageTableDataContributor",
    ]);
    // Azure's built-in role ids
    assert.deepEqual(roles, {
      keyVaultSecretsUser: '4633458b-17de-408a-b874-0445c86b69e6',
      storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b',
      storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88',
      storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3',
    });
  });

  it('the custom role only turns the static website on: blob service properties, no data, no keys', () => {
    const [definition] = ofType(template, 'Microsoft.Authorization/roleDefinitions');
    const properties = definition!.properties as {
      permissions: Array<Record<string, string[]>>;
      assignableScopes: string[];
    };
    assert.deepEqual(properties.permissions, [
      {
        actions: [
          'Microsoft.Storage/storageAccounts/blobServices/read',
          'Microsoft.Storage/storageAccounts/blobServices/write',
        ],
        notActions: [],
        dataActions: [],
        notDataActions: [],
      },
    ]);
    assert.deepEqual(properties.assignableScopes, ['[resourceGroup().id]']);
  });

  it('sets the app settings only once the identity may read the vault, then deploys the package', () => {
    const [config] = ofType(template, 'Microsoft.Web/sites/config');
    for (const resource of [...assignments, ...ofType(template, 'Microsoft.KeyVault/vaults/secrets')]) {
      const scope = sampleScope(template);
      const key = `${resource.type}/${String(evaluate(parseExpression(resource.name), scope))}`.toLowerCase();
      const depends = config!.dependsOn!.map((d) => String(evaluate(parseExpression(d), scope)));
      assert.ok(depends.includes(key), `the app settings wait for ${key}`);
    }
    const [deploy] = ofType(template, 'Microsoft.Web/sites/extensions');
    assert.deepEqual(deploy!.dependsOn, [
      "[resourceId('Microsoft.Web/sites/config', parameters('appName'), 'appsettings')]",
    ]);
  });
});

/** The sample scope of a resource group carrying these tags, its variables evaluated again (they read the tags). */
function scopeWithTags(tags: Record<string, string>): EvaluationScope {
  const scope = sampleScope(template);
  scope.resourceGroup = { ...scope.resourceGroup, tags };
  for (const [name, value] of Object.entries(template.variables ?? {})) {
    if (typeof value === 'string' && value.startsWith('['))
      scope.variables[name] = evaluate(parseExpression(value), scope);
  }
  return scope;
}

describe('APP_SECRET: random, generated on the first deployment only', () => {
  const secret = ofType(template, 'Microsoft.KeyVault/vaults/secrets').find((r) => r.name.endsWith("'/app-secret')]"))!;
  const [tag] = ofType(template, 'Microsoft.Resources/tags');

  it('comes from a newGuid() default, never from a key or anything else Azure can recompute', () => {
    const parameter = template.parameters!.newAppSecret!;
    assert.equal(parameter.type, 'securestring');
    assert.equal(parameter.defaultValue, '[newGuid()]');
    assert.equal((secret.properties as { value: string }).value, "[parameters('newAppSecret')]");
  });

  it('is written only while the resource group has no tag saying it exists, and the tag only after it', () => {
    const condition = parseExpression(String(secret.condition));
    assert.equal(tag!.condition, secret.condition);
    assert.ok(
      tag!.dependsOn!.includes(
        "[resourceId('Microsoft.KeyVault/vaults/secrets', variables('keyVaultName'), 'app-secret')]",
      ),
    );
    const first = sampleScope(template);
    assert.equal(evaluate(condition, first), true, 'first deployment: generated');
    const tagName = String(first.variables.appSecretTag);
    // Redeploys see the tag, among whatever tags the owner keeps, and leave the secret alone
    const tagged = scopeWithTags({ owner: 'ops', [tagName]: 'created' });
    assert.equal(evaluate(condition, tagged), false, 'redeploy: kept');
    // the tag resource keeps the owner's tags (a tags resource replaces them all)
    const written = evaluate(parseExpression(String((tag!.properties as { tags: string }).tags)), tagged);
    assert.deepEqual(written, { owner: 'ops', [tagName]: 'created' });
  });
});
