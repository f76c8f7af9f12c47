// SIP domains: /users/{userId}/domains (docs/contracts/catapult-v1.md §8). No update exists in the API.
import type { Domain } from '../catapult-api';
import { createdId, readObject, type CatapultHttp } from '../catapult-http';
import type { Logger } from '../../log';
import { paginate } from '../paging';
import { buildQuery, pathSegment } from '../query-string';
import { toDomain } from '../resource-mappers';

export function createDomainResources(http: CatapultHttp, logger: Logger) {
  const domainUrl = (id: string) => http.userUrl(`/domains/${pathSegment(id)}`);
  return {
    /** Always sends `description`: the docs mark it mandatory even though some SDKs omit it. */
    async createDomain(input: { name: string; description: string }): Promise<{ id: string }> {
      const response = await http.transport.send({
        method: 'POST',
        url: http.userUrl('/domains'),
        body: { name: input.name, description: input.description },
        repeatable: false,
      });
      return createdId(response, 'POST');
    },

    async getDomain(id: string): Promise<Domain> {
      const response = await http.transport.send({ method: 'GET', url: domainUrl(id), repeatable: true });
      return toDomain(readObject(response, 'GET'));
    },

    /** `size` is capped at 100 by Catapult for domains. */
    listDomains(options: { size?: number } = {}): AsyncIterable<Domain> {
      const url = http.userUrl(`/domains${buildQuery([['size', options.size]])}`);
      return paginate(http, url, toDomain, logger);
    },

    async deleteDomain(id: string): Promise<void> {
      await http.transport.send({ method: 'DELETE', url: domainUrl(id), repeatable: true });
    },
  };
}
