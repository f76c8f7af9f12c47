// Offline checks for azuredeploy.json, in the spirit of arm-ttk (which needs PowerShell and cannot run
// here): structure, declared vs used parameters and variables, expression syntax, secure parameters,
// secret-free outputs, API versions, locations and dependsOn targets. Returns every problem found.
import {
  calledFunctions,
  evaluate,
  isExpression,
  parseExpression,
  referencedNames,
  type ArmNode,
  type EvaluationScope,
} from './arm-expression';

export interface ArmParameter {
  type: string;
  defaultValue?: unknown;
  metadata?: { description?: string };
  [key: string]: unknown;
}

export interface ArmResource {
  type: string;
  apiVersion?: string;
  name: string;
  location?: string;
  dependsOn?: string[];
  condition?: string;
  properties?: Record<string, unknown>;
  [key: string]: unknown;
}

export interface ArmTemplate {
  $schema?: string;
  contentVersion?: string;
  parameters?: Record<string, ArmParameter>;
  variables?: Record<string, unknown>;
  resources?: ArmResource[];
  outputs?: Record<string, { type: string; value: unknown }>;
}

const SECURE_TYPES = new Set(['securestring', 'secureobject']);
/** Functions whose result is (or can carry) a secret; none may feed an output. */
const SECRET_FUNCTIONS = /^list/;

/** Every string in a JSON value (keys too: ARM evaluates expressions in property names). */
export function collectStrings(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const item of value) collectStrings(item, out);
  else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      out.push(key);
      collectStrings(item, out);
    }
  }
  return out;
}

function expressionsIn(value: unknown, problems: string[], where: string): ArmNode[] {
  const nodes: ArmNode[] = [];
  for (const text of collectStrings(value)) {
    if (!isExpression(text)) {
      if (text.startsWith('[') !== text.endsWith(']') && !text.startsWith('[[')) {
        problems.push(`${where}: unbalanced brackets in ${JSON.stringify(text)}`);
      }
      continue;
    }
    try {
      nodes.push(parseExpression(text));
    } catch (error) {
      problems.push(`${where}: ${(error as Error).message}`);
    }
  }
  return nodes;
}

/** The secure parameters an expression depends on, following variables transitively. */
function secretSources(node: ArmNode, template: ArmTemplate, seen = new Set<string>()): string[] {
  const sources: string[] = [];
  for (const name of referencedNames(node, 'parameters')) {
    if (SECURE_TYPES.has(template.parameters?.[name]?.type.toLowerCase() ?? '')) sources.push(`parameter ${name}`);
  }
  sources.push(
    ...calledFunctions(node)
      .filter((fn) => SECRET_FUNCTIONS.test(fn))
      .map((fn) => `${fn}()`),
  );
  for (const name of referencedNames(node, 'variables')) {
    if (seen.has(name)) continue;
    seen.add(name);
    for (const inner of expressionsIn(template.variables?.[name], [], 'variables')) {
      sources.push(...secretSources(inner, template, seen));
    }
  }
  return sources;
}

export function sampleScope(template: ArmTemplate, overrides: Record<string, unknown> = {}): EvaluationScope {
  const scope: EvaluationScope = {
    parameters: {},
    variables: {},
    resourceGroup: { id: '/subscriptions/0000/resourceGroups/sample-rg', location: 'westeurope', name: 'sample-rg' },
  };
  const resolve = (value: unknown): unknown =>
    typeof value === 'string' && isExpression(value) ? evaluate(parseExpression(value), scope) : value;
  for (const [name, parameter] of Object.entries(template.parameters ?? {})) {
    scope.parameters[name] = name in overrides ? overrides[name] : resolve(parameter.defaultValue ?? `sample-${name}`);
  }
  for (const [name, value] of Object.entries(template.variables ?? {})) {
    try {
      scope.variables[name] = resolve(value);
    } catch {
      scope.variables[name] = undefined; // runtime-only variable; evaluating a name with it fails loudly later
    }
  }
  return scope;
}

/** "type/name" in the same lower-case shape resourceId() evaluates to. */
export function resourceKey(resource: ArmResource, scope: EvaluationScope): string {
  const name = isExpression(resource.name) ? evaluate(parseExpression(resource.name), scope) : resource.name;
  return `${resource.type}/${String(name)}`.toLowerCase();
}

export function lintArmTemplate(template: ArmTemplate): string[] {
  const problems: string[] = [];
  if (
    !/^https:\/\/schema\.management\.azure\.com\/schemas\/[\d-]+\/deploymentTemplate\.json#$/.test(
      template.$schema ?? '',
    )
  ) {
    problems.push('$schema is not a deployment template schema');
  }
  if (!/^\d+\.\d+\.\d+\.\d+$/.test(template.contentVersion ?? ''))
    problems.push('contentVersion must look like 1.0.0.0');
  if (!Array.isArray(template.resources) || template.resources.length === 0) problems.push('no resources');

  const parameters = template.parameters ?? {};
  const variables = template.variables ?? {};
  const all = expressionsIn(
    { parameters, variables, resources: template.resources, outputs: template.outputs },
    problems,
    'template',
  );
  const usedParameters = new Set(all.flatMap((node) => referencedNames(node, 'parameters')));
  const usedVariables = new Set(all.flatMap((node) => referencedNames(node, 'variables')));
  for (const name of usedParameters)
    if (!(name in parameters)) problems.push(`parameter ${name} is used but not declared`);
  for (const name of usedVariables)
    if (!(name in variables)) problems.push(`variable ${name} is used but not declared`);
  for (const name of Object.keys(parameters))
    if (!usedParameters.has(name)) problems.push(`parameter ${name} is declared but never used`);
  for (const name of Object.keys(variables))
    if (!usedVariables.has(name)) problems.push(`variable ${name} is declared but never used`);
  for (const name of Object.keys(variables)) {
    const runtime = expressionsIn(variables[name], [], 'variables')
      .flatMap(calledFunctions)
      .filter((fn) => fn === 'reference' || SECRET_FUNCTIONS.test(fn));
    if (runtime.length > 0)
      problems.push(`variable ${name} calls ${runtime.join(', ')}, which ARM forbids in variables`);
  }

  for (const [name, parameter] of Object.entries(parameters)) {
    if (!parameter.metadata?.description) problems.push(`parameter ${name} has no metadata.description`);
    const type = String(parameter.type).toLowerCase();
    // arm-ttk Secure-String-Parameters-Cannot-Have-Default: only "" or a newGuid() expression
    if (SECURE_TYPES.has(type) && parameter.defaultValue !== undefined && parameter.defaultValue !== '') {
      const isNewGuid =
        typeof parameter.defaultValue === 'string' && /^\[\s*newGuid\s*\(\s*\)\s*\]$/i.test(parameter.defaultValue);
      if (!isNewGuid) problems.push(`secure parameter ${name} has a default value`);
    }
    // arm-ttk Location-Should-Not-Be-Hardcoded
    if (name.toLowerCase() === 'location' && parameter.defaultValue !== undefined) {
      const allowed = ['[resourceGroup().location]', 'global', '[deployment().location]'];
      if (typeof parameter.defaultValue !== 'string' || !allowed.includes(parameter.defaultValue))
        problems.push(`parameter location defaults to a hard-coded region`);
    }
  }

  for (const [name, output] of Object.entries(template.outputs ?? {})) {
    for (const node of expressionsIn(output.value, [], `output ${name}`)) {
      for (const source of secretSources(node, template)) problems.push(`output ${name} exposes ${source}`);
    }
    if (SECURE_TYPES.has(String(output.type).toLowerCase())) problems.push(`output ${name} has a secure type`);
  }

  let scope: EvaluationScope | undefined;
  try {
    scope = sampleScope(template);
  } catch (error) {
    problems.push(`cannot evaluate parameter defaults: ${(error as Error).message}`);
  }
  const declared = new Set<string>();
  for (const resource of template.resources ?? []) {
    const label = `resource ${resource.type} ${resource.name}`;
    if (!/^\d{4}-\d{2}-\d{2}(-preview)?$/.test(resource.apiVersion ?? ''))
      problems.push(`${label} has no valid apiVersion`);
    if (
      resource.location !== undefined &&
      !(isExpression(resource.location) && /parameters\(\s*'location'\s*\)/.test(resource.location))
    ) {
      problems.push(`${label} has a hard-coded location (use parameters('location'))`);
    }
    if (scope) {
      try {
        declared.add(resourceKey(resource, scope));
      } catch (error) {
        problems.push(`${label}: name cannot be evaluated: ${(error as Error).message}`);
      }
    }
  }
  if (scope) {
    for (const resource of template.resources ?? []) {
      for (const dependency of resource.dependsOn ?? []) {
        let key: string;
        try {
          key = isExpression(dependency)
            ? String(evaluate(parseExpression(dependency), scope))
            : dependency.toLowerCase();
        } catch (error) {
          problems.push(
            `resource ${resource.type}: dependsOn ${dependency} cannot be evaluated: ${(error as Error).message}`,
          );
          continue;
        }
        if (!declared.has(key))
          problems.push(`resource ${resource.type} depends on ${dependency}, which the template does not declare`);
      }
    }
  }
  return problems;
}
