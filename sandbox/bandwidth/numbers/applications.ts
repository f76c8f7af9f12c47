// Applications (/api/accounts/{accountId}/applications): Voice-V2 apps carry CallInitiatedCallbackUrl,
// CallStatusCallbackUrl and Basic CallbackCreds; ServiceType never changes after creation. Shapes follow
// @bandwidth/numbers' `voiceApplication`, `applications` and `applicationSipPeers` fixtures
// (docs/contracts/bandwidth-v2.md §3.2).
import { numbersError } from '../http/bw-errors';
import type { BwRequest, BwRouter } from '../http/bw-router';
import { child, childText, xmlDocument, type XmlElement, type XmlNode } from '../http/xml';
import type { BwApplication, NumbersStore, ServiceType } from './numbers-store';
import { isHttpUrl, readXmlBody } from './xml-body';

const WRAPPER = 'ApplicationProvisioningResponse';
const SERVICE_TYPES: readonly ServiceType[] = ['Voice-V2', 'Messaging-V2'];

export function mountApplications(router: BwRouter, store: NumbersStore): void {
  const base = '/api/accounts/:accountId/applications';
  router.add('POST', base, 'numbers', (request) => {
    const input = readXmlBody(request.body, 'Application', WRAPPER);
    const application = applyFields(
      { id: store.uuid(), callInitiatedMethod: 'POST', callStatusMethod: 'POST' },
      input,
      'create',
    );
    store.applications.set(application.id, application);
    return {
      status: 201,
      headers: {
        Location: `${request.url.origin}/api/accounts/${request.params.accountId}/applications/${application.id}`,
      },
      body: xmlDocument([WRAPPER, [applicationNode(application)]]),
    };
  });
  router.add('GET', base, 'numbers', () => ({
    status: 200,
    body: xmlDocument([WRAPPER, [['ApplicationList', [...store.applications.values()].map(applicationNode)]]]),
  }));
  router.add('GET', `${base}/:applicationId`, 'numbers', (request) => ({
    status: 200,
    body: xmlDocument([WRAPPER, [applicationNode(find(store, request))]]),
  }));
  // The official client updates with PUT (whole resource); the docs describe PATCH (partial). Both are served.
  for (const method of ['PUT', 'PATCH'] as const) {
    router.add(method, `${base}/:applicationId`, 'numbers', (request) => {
      const existing = find(store, request);
      const input = readXmlBody(request.body, 'Application', WRAPPER);
      const start =
        method === 'PUT'
          ? {
              id: existing.id,
              callInitiatedMethod: 'POST' as const,
              callStatusMethod: 'POST' as const,
              serviceType: existing.serviceType,
            }
          : { ...existing };
      const updated = applyFields(start, input, method === 'PUT' ? 'replace' : 'patch', existing.serviceType);
      store.applications.set(updated.id, updated);
      return { status: 200, body: xmlDocument([WRAPPER, [applicationNode(updated)]]) };
    });
  }
  router.add('DELETE', `${base}/:applicationId`, 'numbers', (request) => {
    const application = find(store, request);
    const linked = [...store.peers.values()].filter((peer) => peer.voiceV2AppId === application.id);
    if (linked.length > 0) {
      throw numbersError(
        409,
        WRAPPER,
        15503,
        `Application '${application.id}' is associated with locations ${linked.map((p) => p.id).join(', ')}; unlink it first`,
      );
    }
    store.applications.delete(application.id);
    return { status: 200 };
  });
  router.add('GET', `${base}/:applicationId/associatedsippeers`, 'numbers', (request) => {
    const application = find(store, request);
    const peers = [...store.peers.values()].filter((peer) => peer.voiceV2AppId === application.id);
    return {
      status: 200,
      body: xmlDocument([
        'AssociatedSipPeersResponse',
        [
          [
            'AssociatedSipPeers',
            peers.map((peer): XmlNode => [
              'AssociatedSipPeer',
              [
                ['SiteId', peer.siteId],
                ['SiteName', store.sites.get(peer.siteId)?.name],
                ['PeerId', peer.id],
                ['PeerName', peer.name],
              ],
            ]),
          ],
        ],
      ]),
    };
  });
}

function find(store: NumbersStore, request: BwRequest): BwApplication {
  const application = store.applications.get(request.params.applicationId!);
  if (!application)
    throw numbersError(404, WRAPPER, 15501, `Application with id '${request.params.applicationId}' not found`);
  return application;
}

type Draft = Partial<BwApplication> & Pick<BwApplication, 'id' | 'callInitiatedMethod' | 'callStatusMethod'>;

function applyFields(
  start: Draft,
  input: XmlElement,
  mode: 'create' | 'replace' | 'patch',
  fixedType?: ServiceType,
): BwApplication {
  const app: Draft = { ...start };
  const serviceType = childText(input, 'ServiceType');
  if (serviceType !== undefined) {
    if (!SERVICE_TYPES.includes(serviceType as ServiceType))
      invalid(`ServiceType must be one of ${SERVICE_TYPES.join(', ')}`);
    if (fixedType !== undefined && serviceType !== fixedType) invalid('ServiceType cannot be changed');
    app.serviceType = serviceType as ServiceType;
  } else if (mode === 'create') invalid('ServiceType is required');
  const appName = childText(input, 'AppName');
  if (appName !== undefined) {
    if (appName === '' || appName.length > 100) invalid('AppName must be 1 to 100 characters');
    app.appName = appName;
  }
  for (const [element, field] of [
    ['CallInitiatedCallbackUrl', 'callInitiatedCallbackUrl'],
    ['CallStatusCallbackUrl', 'callStatusCallbackUrl'],
    ['MsgCallbackUrl', 'msgCallbackUrl'],
  ] as const) {
    const url = childText(input, element);
    if (url === undefined) continue;
    if (url === '') delete app[field];
    else if (!isHttpUrl(url)) invalid(`${element} must be an absolute http(s) URL`);
    else app[field] = url;
  }
  for (const [element, field] of [
    ['CallInitiatedMethod', 'callInitiatedMethod'],
    ['CallStatusMethod', 'callStatusMethod'],
  ] as const) {
    const method = childText(input, element)?.toUpperCase();
    if (method === undefined) continue;
    if (method !== 'GET' && method !== 'POST') invalid(`${element} must be GET or POST`);
    app[field] = method;
  }
  const creds = child(input, 'CallbackCreds');
  if (creds) {
    const userId = childText(creds, 'UserId');
    const password = childText(creds, 'Password');
    if (!userId) delete app.callbackCreds;
    else {
      if (password !== undefined && (password.length < 6 || password.length > 63))
        invalid('CallbackCreds Password must be 6 to 63 characters');
      app.callbackCreds = { userId, ...(password ? { password } : {}) };
    }
  }
  if (!app.serviceType) invalid('ServiceType is required');
  if (!app.appName) invalid('AppName is required');
  if (app.serviceType === 'Voice-V2' && !app.callInitiatedCallbackUrl)
    invalid('CallInitiatedCallbackUrl is required for a Voice-V2 application');
  if (app.serviceType === 'Messaging-V2' && !app.msgCallbackUrl)
    invalid('MsgCallbackUrl is required for a Messaging-V2 application');
  return app as BwApplication;
}

function invalid(description: string): never {
  throw numbersError(400, WRAPPER, 15504, description);
}

/** The password is write-only: Bandwidth does not return it ([undocumented] choice, see README). */
export function applicationNode(app: BwApplication): XmlNode {
  return [
    'Application',
    [
      ['ApplicationId', app.id],
      ['ServiceType', app.serviceType],
      ['AppName', app.appName],
      ['CallInitiatedCallbackUrl', app.callInitiatedCallbackUrl],
      app.serviceType === 'Voice-V2' ? ['CallInitiatedMethod', app.callInitiatedMethod] : undefined,
      ['CallStatusCallbackUrl', app.callStatusCallbackUrl],
      app.serviceType === 'Voice-V2' ? ['CallStatusMethod', app.callStatusMethod] : undefined,
      ['MsgCallbackUrl', app.msgCallbackUrl],
      app.callbackCreds ? ['CallbackCreds', [['UserId', app.callbackCreds.userId]]] : undefined,
    ],
  ];
}
