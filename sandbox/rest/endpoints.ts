// /v1/users/{userId}/domains/{domainId}/endpoints (docs/contracts/catapult-v1.md §9) and their browser auth tokens.
// The password is kept for the registrar's digest check and never returned.
import type { Router, SandboxRequest } from '../context';
import { conflict, notFound } from '../errors';
import { newId, newSecret } from '../model/ids';
import { endpointNameProblem, passwordProblem } from '../model/name-rules';
import { SIP_DOMAIN_SUFFIX, type StoredEndpoint } from '../model/sandbox-store';
import { findOwnedDomain } from './domains';
import type { ResourceDeps } from './resource-deps';
import { paginate } from './paginate';
import { created, endpointPath, ok } from './resource-urls';
import {
  bodyObject,
  optionalBoolean,
  optionalInteger,
  optionalString,
  requiredString,
  validationError,
} from './validation';

const COLLECTION = '/v1/users/:userId/domains/:domainId/endpoints';
const ITEM = `${COLLECTION}/:endpointId`;
export const DEFAULT_TOKEN_SECONDS = 3600;
export const MAX_TOKEN_SECONDS = 86_400;

export function mountEndpoints(router: Router, deps: ResourceDeps): void {
  const { store } = deps;
  const family = { family: 'endpoints' };

  router.add(
    'POST',
    COLLECTION,
    (request) => {
      const domain = findOwnedDomain(deps, request);
      const body = bodyObject(request.body);
      const name = requiredString(body, 'name', 1024);
      const nameProblem = endpointNameProblem(name);
      if (nameProblem) throw validationError(nameProblem);
      const password = readPassword(body, true)!;
      const description = optionalString(body, 'description');
      const applicationId = optionalString(body, 'applicationId') || undefined;
      const enabled = optionalBoolean(body, 'enabled') ?? true;
      if (applicationId !== undefined) requireApplication(request.params.userId!, applicationId);
      for (const existing of store.endpoints.values()) {
        if (existing.domainId === domain.id && existing.name === name) {
          throw conflict('duplicate-endpoint-name', `An endpoint named '${name}' already exists in this domain`);
        }
      }
      const realm = `${domain.name}${SIP_DOMAIN_SUFFIX}`;
      const endpoint: StoredEndpoint = {
        id: newId('re'),
        userId: domain.userId,
        domainId: domain.id,
        domainName: domain.name,
        name,
        enabled,
        password,
        realm,
        sipUri: `sip:${name}@${realm}`,
        ...(description === undefined ? {} : { description }),
        ...(applicationId === undefined ? {} : { applicationId }),
      };
      store.endpoints.set(endpoint.id, endpoint);
      return created(endpointPath(domain.userId, domain.id, endpoint.id));
    },
    family,
  );

  router.add(
    'GET',
    COLLECTION,
    (request) => {
      const domain = findOwnedDomain(deps, request);
      const items = [...store.endpoints.values()]
        .filter((e) => e.domainId === domain.id)
        .map((e) => represent(e, 'list'));
      return paginate(items, request);
    },
    family,
  );

  router.add('GET', ITEM, (request) => ({ status: 200, body: represent(findOwned(request), 'item') }), family);

  router.add(
    'POST',
    ITEM,
    (request) => {
      const endpoint = findOwned(request);
      const body = bodyObject(request.body);
      const name = optionalString(body, 'name', 1024);
      if (name !== undefined && name !== endpoint.name) throw validationError('The endpoint name cannot be changed');
      const description = optionalString(body, 'description');
      const applicationId = optionalString(body, 'applicationId');
      const enabled = optionalBoolean(body, 'enabled');
      const password = readPassword(body, false);
      if (applicationId) requireApplication(endpoint.userId, applicationId);
      // All checks passed: apply together so a bad field never leaves a half-updated endpoint.
      if (description !== undefined) endpoint.description = description;
      if (applicationId === '') delete endpoint.applicationId;
      else if (applicationId !== undefined) endpoint.applicationId = applicationId;
      if (enabled !== undefined) endpoint.enabled = enabled;
      if (password !== undefined) endpoint.password = password;
      return ok();
    },
    family,
  );

  router.add(
    'DELETE',
    ITEM,
    (request) => {
      store.deleteEndpoint(findOwned(request).id);
      return ok();
    },
    family,
  );

  router.add(
    'POST',
    `${ITEM}/tokens`,
    (request) => {
      const endpoint = findOwned(request);
      const body = bodyObject(request.body, true);
      const expires = optionalInteger(body, 'expires') ?? DEFAULT_TOKEN_SECONDS;
      if (expires < 1 || expires > MAX_TOKEN_SECONDS)
        throw validationError(`expires must be from 1 to ${MAX_TOKEN_SECONDS} seconds`);
      const token = newSecret();
      store.tokens.set(token, { token, endpointId: endpoint.id, expiresAt: deps.now() + expires * 1000 });
      return { status: 201, body: { token, expires } };
    },
    family,
  );

  router.add(
    'DELETE',
    `${ITEM}/tokens/:token`,
    (request) => {
      const endpoint = findOwned(request);
      const stored = store.tokens.get(request.params.token!);
      if (!stored || stored.endpointId !== endpoint.id)
        throw notFound('resource-not-found', 'The token could not be found');
      store.tokens.delete(stored.token);
      return ok();
    },
    family,
  );

  function findOwned(request: SandboxRequest): StoredEndpoint {
    const domain = findOwnedDomain(deps, request);
    const id = request.params.endpointId!;
    const endpoint = store.endpoints.get(id);
    if (!endpoint || endpoint.domainId !== domain.id)
      throw notFound('resource-not-found', `The endpoint '${id}' could not be found`);
    return endpoint;
  }

  function requireApplication(userId: string, applicationId: string): void {
    if (!store.getApplication(userId, applicationId)) {
      throw notFound('application-not-found', `The application '${applicationId}' could not be found`);
    }
  }
}

function readPassword(body: Record<string, unknown>, required: boolean): string | undefined {
  const credentials = body.credentials;
  if (credentials === undefined || credentials === null) {
    if (required) throw validationError('credentials.password is required');
    return undefined;
  }
  const password = bodyObjectField(credentials);
  if (password === undefined) {
    if (required) throw validationError('credentials.password is required');
    return undefined;
  }
  const problem = passwordProblem(password);
  if (problem) throw validationError(problem);
  return password;
}

function bodyObjectField(credentials: unknown): string | undefined {
  if (typeof credentials !== 'object' || Array.isArray(credentials))
    throw validationError('credentials must be an object');
  const password = (credentials as Record<string, unknown>).password;
  if (password === undefined || password === null) return undefined;
  if (typeof password !== 'string') throw validationError('credentials.password must be a string');
  return password;
}

/**
 * [undocumented choice] Lists carry `enabled` as a string ("true"), as the list examples in the docs do;
 * a single GET carries a JSON boolean, as the SIP guide shows. Clients must accept both
 * (docs/contracts/catapult-v1.md §1).
 */
function represent(e: StoredEndpoint, shape: 'list' | 'item') {
  return {
    id: e.id,
    name: e.name,
    ...(e.description === undefined ? {} : { description: e.description }),
    domainId: e.domainId,
    ...(e.applicationId === undefined ? {} : { applicationId: e.applicationId }),
    enabled: shape === 'list' ? String(e.enabled) : e.enabled,
    sipUri: e.sipUri,
    credentials: { realm: e.realm, username: e.name },
  };
}
