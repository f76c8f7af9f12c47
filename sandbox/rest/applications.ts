// /v1/users/{userId}/applications (docs/contracts/catapult-v1.md §7): create, get, list, partial update, delete.
import type { Router, SandboxRequest } from '../context';
import { catapultError, notFound } from '../errors';
import { newId } from '../model/ids';
import type { StoredApplication } from '../model/sandbox-store';
import type { ResourceDeps } from './resource-deps';
import { paginate } from './paginate';
import { applicationPath, created, ok } from './resource-urls';
import {
  bodyObject,
  isCallbackUrl,
  optionalBoolean,
  optionalInteger,
  optionalString,
  validationError,
} from './validation';

const COLLECTION = '/v1/users/:userId/applications';
const ITEM = `${COLLECTION}/:applicationId`;
const URL_FIELDS = [
  'incomingCallUrl',
  'incomingCallFallbackUrl',
  'incomingMessageUrl',
  'incomingMessageFallbackUrl',
] as const;
const TIMEOUT_FIELDS = [
  ['incomingCallUrlCallbackTimeout', 'Incoming Call'],
  ['incomingMessageUrlCallbackTimeout', 'Incoming Message'],
] as const;
export const MAX_CALLBACK_TIMEOUT_MS = 10_000;

type ApplicationChanges = Partial<Omit<StoredApplication, 'id' | 'userId'>> & { cleared: string[] };

export function mountApplications(router: Router, deps: ResourceDeps): void {
  const { store } = deps;

  router.add('POST', COLLECTION, (request) => {
    const userId = request.params.userId!;
    const changes = readChanges(bodyObject(request.body), 'create');
    const application: StoredApplication = {
      id: newId('a'),
      userId,
      name: '',
      callbackHttpMethod: 'POST',
      autoAnswer: true,
      ...withoutCleared(changes),
    };
    requireCallbackUrl(application);
    store.applications.set(application.id, application);
    return created(applicationPath(userId, application.id));
  });

  router.add('GET', COLLECTION, (request) => {
    const userId = request.params.userId!;
    return paginate([...store.applications.values()].filter((a) => a.userId === userId).map(represent), request);
  });

  router.add('GET', ITEM, (request) => ({ status: 200, body: represent(findOwned(request)) }));

  router.add('POST', ITEM, (request) => {
    const application = findOwned(request);
    const changes = readChanges(bodyObject(request.body), 'update');
    const updated: StoredApplication = { ...application, ...withoutCleared(changes) };
    for (const field of changes.cleared) delete (updated as unknown as Record<string, unknown>)[field];
    requireCallbackUrl(updated);
    store.applications.set(updated.id, updated);
    return ok();
  });

  router.add('DELETE', ITEM, (request) => {
    const application = findOwned(request);
    store.applications.delete(application.id);
    // [undocumented] What uses the application is detached rather than left pointing at nothing.
    for (const number of store.numbers.values())
      if (number.applicationId === application.id) delete number.applicationId;
    for (const endpoint of store.endpoints.values())
      if (endpoint.applicationId === application.id) delete endpoint.applicationId;
    return ok();
  });

  function findOwned(request: SandboxRequest): StoredApplication {
    const id = request.params.applicationId!;
    const application = store.getApplication(request.params.userId!, id);
    if (!application) throw notFound('application-not-found', `The application '${id}' could not be found`);
    return application;
  }
}

/** Validated fields present in `body`; `""` clears an optional URL on update. */
function readChanges(body: Record<string, unknown>, mode: 'create' | 'update'): ApplicationChanges {
  const changes: ApplicationChanges = { cleared: [] };
  const name = optionalString(body, 'name', 256);
  if (name !== undefined) {
    if (name.trim() === '') throw validationError('The application name must not be empty');
    changes.name = name;
  } else if (mode === 'create') {
    throw validationError('The application name is required');
  }
  for (const field of URL_FIELDS) {
    const value = optionalString(body, field, 2048);
    if (value === undefined) continue;
    if (value === '') {
      changes.cleared.push(field);
      continue;
    }
    if (!isCallbackUrl(value))
      throw catapultError(400, 'bad-request', 'callback-invalid-url', `${field} '${value}' is not a valid http(s) URL`);
    changes[field] = value;
  }
  for (const [field, label] of TIMEOUT_FIELDS) {
    const value = optionalInteger(body, field);
    if (value === undefined) continue;
    if (value > MAX_CALLBACK_TIMEOUT_MS)
      throw validationError(`${label} callback timeout must not surpass ${MAX_CALLBACK_TIMEOUT_MS}`);
    if (value <= 0) throw validationError(`${label} callback timeout must be greater than 0`);
    changes[field] = value;
  }
  const method = optionalString(body, 'callbackHttpMethod');
  if (method !== undefined) {
    const upper = method.toUpperCase();
    if (upper !== 'GET' && upper !== 'POST') throw validationError("callbackHttpMethod must be 'GET' or 'POST'");
    changes.callbackHttpMethod = upper;
  }
  const autoAnswer = optionalBoolean(body, 'autoAnswer');
  if (autoAnswer !== undefined) changes.autoAnswer = autoAnswer;
  return changes;
}

function withoutCleared(changes: ApplicationChanges): Partial<StoredApplication> {
  const { cleared: _cleared, ...fields } = changes;
  return fields;
}

function requireCallbackUrl(application: StoredApplication): void {
  if (!application.incomingCallUrl && !application.incomingMessageUrl) {
    throw validationError('Your application must have a least one callback URL.');
  }
}

/** Catapult's docs show the method in lower case ("post"); clients compare case-insensitively. */
function represent(a: StoredApplication) {
  return {
    id: a.id,
    name: a.name,
    ...(a.incomingCallUrl === undefined ? {} : { incomingCallUrl: a.incomingCallUrl }),
    ...(a.incomingCallUrlCallbackTimeout === undefined
      ? {}
      : { incomingCallUrlCallbackTimeout: a.incomingCallUrlCallbackTimeout }),
    ...(a.incomingCallFallbackUrl === undefined ? {} : { incomingCallFallbackUrl: a.incomingCallFallbackUrl }),
    ...(a.incomingMessageUrl === undefined ? {} : { incomingMessageUrl: a.incomingMessageUrl }),
    ...(a.incomingMessageUrlCallbackTimeout === undefined
      ? {}
      : { incomingMessageUrlCallbackTimeout: a.incomingMessageUrlCallbackTimeout }),
    ...(a.incomingMessageFallbackUrl === undefined ? {} : { incomingMessageFallbackUrl: a.incomingMessageFallbackUrl }),
    callbackHttpMethod: a.callbackHttpMethod.toLowerCase(),
    autoAnswer: a.autoAnswer,
  };
}
