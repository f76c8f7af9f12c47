// /v1/users/{userId}/domains (docs/contracts/catapult-v1.md §8): create, get, list (max 100 per page), delete with
// endpoints.
import type { Router, SandboxRequest } from '../context';
import { catapultError, conflict, notFound } from '../errors';
import { newId } from '../model/ids';
import { domainNameProblem } from '../model/name-rules';
import type { StoredDomain } from '../model/sandbox-store';
import type { ResourceDeps } from './resource-deps';
import { MAX_DOMAIN_PAGE_SIZE, paginate } from './paginate';
import { created, domainPath, ok } from './resource-urls';
import { bodyObject, optionalString, requiredString, validationError } from './validation';

const COLLECTION = '/v1/users/:userId/domains';
const ITEM = `${COLLECTION}/:domainId`;
export const MAX_DOMAINS_PER_ACCOUNT = 100;

export function mountDomains(router: Router, deps: ResourceDeps): void {
  const { store } = deps;

  router.add('POST', COLLECTION, (request) => {
    const userId = request.params.userId!;
    const body = bodyObject(request.body);
    const name = requiredString(body, 'name', 63);
    const problem = domainNameProblem(name);
    if (problem) throw validationError(problem);
    // The docs mark description mandatory, but Bandwidth's own tooling sends {name} only: accept both.
    const description = optionalString(body, 'description', 1024);
    if (store.findDomainByName(name))
      throw conflict('duplicate-domain-name', `The domain name '${name}' is already taken`);
    if ([...store.domains.values()].filter((d) => d.userId === userId).length >= MAX_DOMAINS_PER_ACCOUNT) {
      throw catapultError(
        403,
        'limit',
        'domain-limit-reached',
        `An account can have at most ${MAX_DOMAINS_PER_ACCOUNT} domains`,
      );
    }
    const domain: StoredDomain = {
      id: newId('rd'),
      userId,
      name,
      ...(description === undefined ? {} : { description }),
    };
    store.domains.set(domain.id, domain);
    return created(domainPath(userId, domain.id));
  });

  router.add('GET', COLLECTION, (request) => {
    const userId = request.params.userId!;
    const domains = [...store.domains.values()].filter((d) => d.userId === userId).map(represent);
    return paginate(domains, request, { maxSize: MAX_DOMAIN_PAGE_SIZE });
  });

  router.add('GET', ITEM, (request) => ({ status: 200, body: represent(findOwnedDomain(deps, request)) }));

  router.add('DELETE', ITEM, (request) => {
    const domain = findOwnedDomain(deps, request);
    for (const endpoint of [...store.endpoints.values()])
      if (endpoint.domainId === domain.id) store.deleteEndpoint(endpoint.id);
    store.domains.delete(domain.id);
    return ok();
  });
}

export function findOwnedDomain(deps: ResourceDeps, request: SandboxRequest): StoredDomain {
  const id = request.params.domainId!;
  const domain = deps.store.domains.get(id);
  if (!domain || domain.userId !== request.params.userId)
    throw notFound('resource-not-found', `The domain '${id}' could not be found`);
  return domain;
}

function represent(d: StoredDomain) {
  return {
    id: d.id,
    name: d.name,
    ...(d.description === undefined ? {} : { description: d.description }),
    endpoints: `${domainPath(d.userId, d.id)}/endpoints`,
  };
}
