// Validates JSON against the schemas of Bandwidth's Voice API OpenAPI spec (bandwidth.yml, shipped by the npm
// package bandwidth-sdk; docs/contracts/bandwidth-v2.md §0). Three uses: callbacks the sandbox sends
// (`assertCallback(body)`, by its eventType), requests an app sends to the Voice API
// (`assertVoiceRequest('POST', '/api/v2/accounts/1/calls/c-1', body)`), and the Voice API's answers
// (`assertVoiceResponse('POST', '/api/v2/accounts/1/calls', 201, body)`).
// Beyond the spec (whose schemas allow any extra field), top-level fields the schema does not declare are errors
// too, so a misspelt field cannot pass.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import Ajv, { type ValidateFunction } from 'ajv';
import { parse } from 'yaml';

type Content = Record<string, { schema: unknown }>;

interface OpenApiSpec {
  paths: Record<
    string,
    Record<
      string,
      {
        requestBody?: { $ref?: string; content?: Content };
        responses?: Record<string, { $ref?: string; content?: Content }>;
      }
    >
  >;
  components: {
    schemas: Record<string, { properties?: Record<string, unknown> }>;
    requestBodies: Record<string, { content: Content }>;
    responses: Record<string, { content?: Content }>;
  };
}

const SPEC_ID = 'bandwidth.yml';
let loaded: { spec: OpenApiSpec; ajv: Ajv; cache: Map<string, ValidateFunction> } | undefined;

function load() {
  if (loaded) return loaded;
  const path = createRequire(__filename).resolve('bandwidth-sdk/bandwidth.yml');
  const spec = parse(readFileSync(path, 'utf8')) as OpenApiSpec;
  const ajv = new Ajv({ strict: false, allErrors: true });
  // OpenAPI formats; numeric ones (double, int32, int64) need no check beyond `type`.
  ajv.addFormat(
    'date-time',
    (value: string) =>
      /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(value) &&
      !Number.isNaN(Date.parse(value)),
  );
  ajv.addFormat('uri', (value: string) => URL.canParse(value));
  for (const format of ['double', 'int32', 'int64', 'float', 'date', 'binary', 'uuid', 'email', 'password'])
    ajv.addFormat(format, true);
  ajv.addSchema({ ...spec, $id: SPEC_ID });
  loaded = { spec, ajv, cache: new Map() };
  return loaded;
}

export interface ValidationResult {
  valid: boolean;
  errors: string[];
}

function validateRef(pointer: string, value: unknown, declared: Record<string, unknown> | undefined): ValidationResult {
  const { ajv, cache } = load();
  let validate = cache.get(pointer);
  if (!validate) {
    validate = ajv.compile({ $ref: `${SPEC_ID}#${pointer}` });
    cache.set(pointer, validate);
  }
  const errors = validate(value)
    ? []
    : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? 'invalid'}`);
  if (declared && typeof value === 'object' && value !== null) {
    for (const name of Object.keys(value))
      if (!(name in declared)) errors.push(`/${name} is not a property of the schema`);
  }
  return { valid: errors.length === 0, errors };
}

/** A callback body against `components/schemas/<name>` (e.g. initiateCallback, disconnectCallback). */
export function validateCallback(schemaName: string, body: unknown): ValidationResult {
  const schema = load().spec.components.schemas[schemaName];
  if (!schema) throw new Error(`bandwidth.yml has no schema '${schemaName}'`);
  return validateRef(`/components/schemas/${schemaName}`, body, schema.properties);
}

/** The schema name of each callback eventType the sandbox sends. */
export const CALLBACK_SCHEMAS: Record<string, string> = {
  initiate: 'initiateCallback',
  answer: 'answerCallback',
  redirect: 'redirectCallback',
  disconnect: 'disconnectCallback',
  transferAnswer: 'transferAnswerCallback',
  transferComplete: 'transferCompleteCallback',
  transferDisconnect: 'transferDisconnectCallback',
  bridgeComplete: 'bridgeCompleteCallback',
  bridgeTargetComplete: 'bridgeTargetCompleteCallback',
  // The spec names the schema of the `recordComplete` event recordingCompleteCallback.
  recordComplete: 'recordingCompleteCallback',
  recordingAvailable: 'recordingAvailableCallback',
};

export function assertCallback(body: { eventType?: unknown } & Record<string, unknown>): void {
  const schema = CALLBACK_SCHEMAS[String(body.eventType)];
  if (!schema) throw new Error(`no callback schema for eventType '${String(body.eventType)}'`);
  const result = validateCallback(schema, body);
  if (!result.valid)
    throw new Error(
      `${String(body.eventType)} callback does not match ${schema}: ${result.errors.join('; ')}\n${JSON.stringify(body)}`,
    );
}

/** The operation of bandwidth.yml at `method` + an actual path (with or without the `/api/v2` prefix). */
function findOperation(method: string, path: string) {
  const { spec } = load();
  const relative = path.replace(/^\/api\/v2/, '').split('?')[0]!;
  const template = Object.keys(spec.paths).find((candidate) =>
    new RegExp(`^${candidate.replace(/\{[^}]+\}/g, '[^/]+')}$`).test(relative),
  );
  if (!template) return { error: `no Voice API path matches ${relative}` };
  const operation = spec.paths[template]![method.toLowerCase()];
  if (!operation) return { error: `${method} is not an operation of ${template}` };
  return { operation };
}

/**
 * A JSON request body for the Voice API operation at `method` + `path` (the actual path, with or without the
 * `/api/v2` prefix, e.g. `/api/v2/accounts/9900000/calls/c-1`).
 */
export function validateVoiceRequest(method: string, path: string, body: unknown): ValidationResult {
  const { spec } = load();
  const found = findOperation(method, path);
  if (!found.operation) return { valid: false, errors: [found.error] };
  const requestBody = found.operation.requestBody;
  if (!requestBody)
    return { valid: body === undefined, errors: body === undefined ? [] : ['the operation takes no body'] };
  const name = requestBody.$ref?.split('/').pop();
  const content = name ? spec.components.requestBodies[name]!.content : requestBody.content!;
  const json = content['application/json'];
  if (!json)
    return { valid: typeof body === 'string', errors: typeof body === 'string' ? [] : ['the operation takes XML'] };
  const ref = (json.schema as { $ref?: string }).$ref;
  if (!ref) return { valid: false, errors: ['inline request schemas are not supported'] };
  const schemaName = ref.split('/').pop()!;
  return validateRef(`/components/schemas/${schemaName}`, body, spec.components.schemas[schemaName]?.properties);
}

export function assertVoiceRequest(method: string, path: string, body: unknown): void {
  const result = validateVoiceRequest(method, path, body);
  if (!result.valid) throw new Error(`${method} ${path} does not match bandwidth.yml: ${result.errors.join('; ')}`);
}

/**
 * A Voice API answer: `status` must be one the operation declares, and its body (parsed JSON, or undefined when
 * empty) must match that response's schema; a response declared without content must have no body.
 */
export function validateVoiceResponse(method: string, path: string, status: number, body: unknown): ValidationResult {
  const { spec } = load();
  const found = findOperation(method, path);
  if (!found.operation) return { valid: false, errors: [found.error] };
  const declared = found.operation.responses?.[String(status)];
  if (!declared) return { valid: false, errors: [`${status} is not a declared response of ${method} ${path}`] };
  const content = declared.$ref
    ? spec.components.responses[declared.$ref.split('/').pop()!]?.content
    : declared.content;
  if (!content) return { valid: body === undefined, errors: body === undefined ? [] : ['the response has no body'] };
  const schema = content['application/json']?.schema as { $ref?: string; type?: string; items?: { $ref?: string } };
  // A list: each item against the named item schema.
  if (schema?.type === 'array' && schema.items?.$ref) {
    if (!Array.isArray(body)) return { valid: false, errors: ['the response must be an array'] };
    const itemName = schema.items.$ref.split('/').pop()!;
    const errors = body.flatMap((item, index) =>
      validateRef(`/components/schemas/${itemName}`, item, spec.components.schemas[itemName]?.properties).errors.map(
        (error) => `[${index}]${error}`,
      ),
    );
    return { valid: errors.length === 0, errors };
  }
  const ref = schema?.$ref;
  if (!ref) return { valid: false, errors: ['only JSON responses with a named schema are supported'] };
  const schemaName = ref.split('/').pop()!;
  return validateRef(`/components/schemas/${schemaName}`, body, spec.components.schemas[schemaName]?.properties);
}

export function assertVoiceResponse(method: string, path: string, status: number, body: unknown): void {
  const result = validateVoiceResponse(method, path, status, body);
  if (!result.valid)
    throw new Error(
      `the answer ${status} to ${method} ${path} does not match bandwidth.yml: ${result.errors.join('; ')}`,
    );
}
