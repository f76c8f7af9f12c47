// SIP endpoints and their browser auth tokens: /users/{userId}/domains/{domainId}/endpoints
// (docs/contracts/catapult-v1.md §9). Create and update bodies carry the SIP password and token paths carry the token:
// the transport never logs bodies, and token paths are logged with the token redacted.
import type { Endpoint, EndpointInput, EndpointToken, EndpointUpdate } from '../catapult-api';
import { createdId, invalidResponse, readObject, type CatapultHttp } from '../catapult-http';
import type { Logger } from '../../log';
import { definedOnly } from '../normalise';
import { paginate } from '../paging';
import { buildQuery, pathSegment } from '../query-string';
import { toEndpoint, toEndpointToken } from '../resource-mappers';

export function createEndpointResources(http: CatapultHttp, logger: Logger) {
  const endpointsPath = (domainId: string) => `/domains/${pathSegment(domainId)}/endpoints`;
  const endpointPath = (domainId: string, endpointId: string) =>
    `${endpointsPath(domainId)}/${pathSegment(endpointId)}`;

  return {
    async createEndpoint(domainId: string, input: EndpointInput): Promise<{ id: string }> {
      const body = definedOnly({
        name: input.name,
        description: input.description,
        domainId, // the SDKs send it; the path stays authoritative
        applicationId: input.applicationId,
        enabled: input.enabled,
        credentials: { password: input.password },
      });
      const response = await http.transport.send({
        method: 'POST',
        url: http.userUrl(endpointsPath(domainId)),
        body,
        repeatable: false,
      });
      return createdId(response, 'POST');
    },

    async getEndpoint(domainId: string, endpointId: string): Promise<Endpoint> {
      const url = http.userUrl(endpointPath(domainId, endpointId));
      const response = await http.transport.send({ method: 'GET', url, repeatable: true });
      return toEndpoint(readObject(response, 'GET'), domainId);
    },

    listEndpoints(domainId: string, options: { size?: number } = {}): AsyncIterable<Endpoint> {
      const url = http.userUrl(`${endpointsPath(domainId)}${buildQuery([['size', options.size]])}`);
      return paginate(http, url, (raw) => toEndpoint(raw, domainId), logger);
    },

    async updateEndpoint(domainId: string, endpointId: string, update: EndpointUpdate): Promise<void> {
      const body = definedOnly({
        description: update.description,
        applicationId: update.applicationId,
        enabled: update.enabled,
        credentials: update.password === undefined ? undefined : { password: update.password },
      });
      const url = http.userUrl(endpointPath(domainId, endpointId));
      await http.transport.send({ method: 'POST', url, body, repeatable: true });
    },

    async deleteEndpoint(domainId: string, endpointId: string): Promise<void> {
      const url = http.userUrl(endpointPath(domainId, endpointId));
      await http.transport.send({ method: 'DELETE', url, repeatable: true });
    },

    /** Without `expiresSeconds` no body is sent and Catapult's default applies (3600 s in the SDKs). */
    async createEndpointToken(domainId: string, endpointId: string, expiresSeconds?: number): Promise<EndpointToken> {
      const url = http.userUrl(`${endpointPath(domainId, endpointId)}/tokens`);
      const response = await http.transport.send({
        method: 'POST',
        url,
        body: expiresSeconds === undefined ? undefined : { expires: expiresSeconds },
        repeatable: false, // each POST issues another valid token
      });
      const token = toEndpointToken(readObject(response, 'POST'));
      if (!token.token) throw invalidResponse(response, 'POST', 'missing-token', 'the token answer has no token');
      return token;
    },

    async deleteEndpointToken(domainId: string, endpointId: string, token: string): Promise<void> {
      const path = `${endpointPath(domainId, endpointId)}/tokens`;
      await http.transport.send({
        method: 'DELETE',
        url: http.userUrl(`${path}/${pathSegment(token)}`),
        repeatable: true,
        logPath: `${new URL(http.userUrl(path)).pathname}/[redacted]`,
      });
    },
  };
}
