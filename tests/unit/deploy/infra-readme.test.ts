// infra/README.md stays true to the template: the Deploy button points at this repository's raw
// azuredeploy.json (same placeholder owner as the packageUri default) and every parameter is documented.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';

const ROOT = join(__dirname, '..', '..', '..');
const readme = readFileSync(join(ROOT, 'infra', 'README.md'), 'utf8');
const template = JSON.parse(readFileSync(join(ROOT, 'azuredeploy.json'), 'utf8')) as {
  parameters: Record<string, { defaultValue?: unknown }>;
  resources: Array<{ type: string }>;
};

describe('infra/README.md', () => {
  it('has the Deploy to Azure button in the portal URL format, pointing at the raw azuredeploy.json', () => {
    const button =
      /\[!\[Deploy to Azure\]\(https:\/\/aka\.ms\/deploytoazurebutton\)\]\(https:\/\/portal\.azure\.com\/#create\/Microsoft\.Template\/uri\/([^)\s]+)\)/.exec(
        readme,
      );
    assert.ok(button, 'the button markdown');
    const templateUrl = decodeURIComponent(button[1]!);
    assert.notEqual(templateUrl, button[1], 'the template URL is URL-encoded');
    const raw = /^https:\/\/raw\.githubusercontent\.com\/([^/]+)\/([^/]+)\/[^/]+\/azuredeploy\.json$/.exec(templateUrl);
    assert.ok(raw, templateUrl);
    const packageUri = String(template.parameters.packageUri!.defaultValue);
    assert.match(
      packageUri,
      new RegExp(`^https://github\\.com/${raw[1]}/${raw[2]}/releases/download/v[^/]+/voice-reference-app\\.zip$`),
    );
    assert.ok(readme.includes(`${raw[1]}/${raw[2]}`), 'the placeholder repository is documented');
  });

  it('documents every parameter and every resource type', () => {
    for (const name of Object.keys(template.parameters)) assert.ok(readme.includes(`\`${name}\``), name);
    const sections: Record<string, RegExp> = {
      'Microsoft.Storage/storageAccounts': /### Storage account/,
      'Microsoft.Web/serverfarms': /### Flex Consumption plan/,
      'Microsoft.Web/sites': /Function App \(`<app>`\)/,
      'Microsoft.OperationalInsights/workspaces': /### Log Analytics workspace/,
      'Microsoft.Insights/components': /Application Insights \(`<app>-insights`\)/,
      'Microsoft.SignalRService/webPubSub': /### Web PubSub \(`<app>-pubsub`, Bandwidth only\)/,
      'Microsoft.KeyVault/vaults': /### Key Vault \(`kv<unique>`\)/,
      'Microsoft.Authorization/roleAssignments': /### Role assignments/,
      'Microsoft.Authorization/roleDefinitions': /### Role assignments/,
      'Microsoft.Resources/tags': /### Resource group tag/,
    };
    for (const type of new Set(template.resources.map((r) => r.type.split('/').slice(0, 2).join('/')))) {
      assert.ok(sections[type], `a README section for ${type}`);
      assert.match(readme, sections[type]);
    }
  });
});
