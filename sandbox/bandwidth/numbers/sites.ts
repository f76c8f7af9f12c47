// Sites (sub-accounts), their SIP peers (locations), and a location's origination settings, which link it to a
// Voice-V2 application (HttpVoiceV2AppId): a number ordered into a location calls that application
// (docs/contracts/bandwidth-v2.md §3.1, §3.3).
// Shapes follow @bandwidth/numbers' `site`, `sites`, `sipPeer`, `sipPeers`, `sipPeerTns` and
// `originationSettings` fixtures.
import { numbersError } from '../http/bw-errors';
import type { BwRequest, BwRouter } from '../http/bw-router';
import { child, childText, xmlDocument, type XmlNode } from '../http/xml';
import type { BwPeer, BwSite, NumbersStore } from './numbers-store';
import { readXmlBody } from './xml-body';

export function mountSites(router: BwRouter, store: NumbersStore): void {
  const sites = '/api/accounts/:accountId/sites';
  router.add('POST', sites, 'numbers', (request) => {
    const input = readXmlBody(request.body, 'Site', 'SiteResponse');
    const name = childText(input, 'Name');
    if (!name) throw numbersError(400, 'SiteResponse', 12001, 'Site Name is required');
    const description = childText(input, 'Description');
    const address = child(input, 'Address')?.children.map((c): [string, string] => [c.name, c.text.trim()]);
    const site: BwSite = {
      id: store.numericId(),
      name,
      ...(description ? { description } : {}),
      ...(address ? { address } : {}),
    };
    store.sites.set(site.id, site);
    return {
      status: 201,
      headers: { Location: `${request.url.origin}/api/accounts/${request.params.accountId}/sites/${site.id}` },
      body: xmlDocument(['SiteResponse', [siteNode(site)]]),
    };
  });
  router.add('GET', sites, 'numbers', () => ({
    status: 200,
    // The list carries Id, Name and Description only, as the `sites` fixture shows; one site adds its Address.
    body: xmlDocument(['SitesResponse', [['Sites', [...store.sites.values()].map((site) => siteNode(site, false))]]]),
  }));
  router.add('GET', `${sites}/:siteId`, 'numbers', (request) => ({
    status: 200,
    body: xmlDocument(['SiteResponse', [siteNode(findSite(store, request))]]),
  }));
  router.add('DELETE', `${sites}/:siteId`, 'numbers', (request) => {
    const site = findSite(store, request);
    if ([...store.peers.values()].some((peer) => peer.siteId === site.id)) {
      throw numbersError(409, 'SiteResponse', 12024, `Site '${site.id}' still has SIP peers`);
    }
    store.sites.delete(site.id);
    return { status: 200 };
  });

  const peers = `${sites}/:siteId/sippeers`;
  router.add('POST', peers, 'numbers', (request) => {
    const site = findSite(store, request);
    const input = readXmlBody(request.body, 'SipPeer', 'SipPeerResponse');
    const name = childText(input, 'PeerName');
    if (!name) throw numbersError(400, 'SipPeerResponse', 13001, 'PeerName is required');
    const description = childText(input, 'Description');
    const siblings = [...store.peers.values()].filter((peer) => peer.siteId === site.id);
    if (siblings.some((peer) => peer.name === name)) {
      throw numbersError(
        409,
        'SipPeerResponse',
        13002,
        `A SIP peer named '${name}' already exists on site '${site.id}'`,
      );
    }
    // The first location of a site is its default, whatever the request says.
    const isDefault = siblings.length === 0 || childText(input, 'IsDefaultPeer') === 'true';
    if (isDefault) for (const sibling of siblings) sibling.isDefault = false;
    const peer: BwPeer = {
      id: store.numericId(),
      siteId: site.id,
      name,
      isDefault,
      ...(description ? { description } : {}),
    };
    store.peers.set(peer.id, peer);
    return {
      status: 201,
      headers: {
        Location: `${request.url.origin}/api/accounts/${request.params.accountId}/sites/${site.id}/sippeers/${peer.id}`,
      },
      body: xmlDocument(['SipPeerResponse', [peerNode(peer)]]),
    };
  });
  router.add('GET', peers, 'numbers', (request) => {
    const site = findSite(store, request);
    const list = [...store.peers.values()].filter((peer) => peer.siteId === site.id);
    return { status: 200, body: xmlDocument(['TNSipPeersResponse', [['SipPeers', list.map(peerNode)]]]) };
  });
  router.add('GET', `${peers}/:peerId`, 'numbers', (request) => ({
    status: 200,
    body: xmlDocument(['SipPeerResponse', [peerNode(findPeer(store, request))]]),
  }));
  router.add('DELETE', `${peers}/:peerId`, 'numbers', (request) => {
    const peer = findPeer(store, request);
    if ([...store.numbers.values()].some((n) => n.peerId === peer.id)) {
      throw numbersError(409, 'SipPeerResponse', 13003, `SIP peer '${peer.id}' still has telephone numbers`);
    }
    store.peers.delete(peer.id);
    return { status: 200 };
  });
  router.add('GET', `${peers}/:peerId/tns`, 'numbers', (request) => {
    const peer = findPeer(store, request);
    const tns = [...store.numbers.values()].filter((n) => n.peerId === peer.id);
    return {
      status: 200,
      body: xmlDocument([
        'SipPeerTelephoneNumbersResponse',
        [['SipPeerTelephoneNumbers', tns.map((n): XmlNode => ['SipPeerTelephoneNumber', [['FullNumber', n.tn]]])]],
      ]),
    };
  });

  const origination = `${peers}/:peerId/products/origination/settings`;
  for (const method of ['POST', 'PUT'] as const) {
    router.add(method, origination, 'numbers', (request) => {
      const peer = findPeer(store, request);
      const input = readXmlBody(request.body, 'SipPeerOriginationSettings', 'SipPeerOriginationSettingsResponse');
      const protocol = childText(input, 'VoiceProtocol');
      const appId = childText(child(input, 'HttpSettings'), 'HttpVoiceV2AppId');
      if (protocol !== undefined && protocol !== 'HTTP' && protocol !== 'SIP') {
        throw numbersError(400, 'SipPeerOriginationSettingsResponse', 13590, 'VoiceProtocol must be HTTP or SIP');
      }
      if (appId) {
        const application = store.applications.get(appId);
        if (!application || application.serviceType !== 'Voice-V2') {
          throw numbersError(
            400,
            'SipPeerOriginationSettingsResponse',
            13591,
            `'${appId}' is not a Voice-V2 application of this account`,
          );
        }
        if ((protocol ?? peer.voiceProtocol) !== 'HTTP') {
          throw numbersError(
            400,
            'SipPeerOriginationSettingsResponse',
            13592,
            'HttpVoiceV2AppId needs VoiceProtocol HTTP',
          );
        }
      }
      if (protocol !== undefined) peer.voiceProtocol = protocol;
      if (appId !== undefined) {
        if (appId === '') delete peer.voiceV2AppId;
        else peer.voiceV2AppId = appId;
      }
      return { status: 200, body: originationDocument(peer) };
    });
  }
  router.add('GET', origination, 'numbers', (request) => ({
    status: 200,
    body: originationDocument(findPeer(store, request)),
  }));
}

function originationDocument(peer: BwPeer): string {
  return xmlDocument([
    'SipPeerOriginationSettingsResponse',
    [
      [
        'SipPeerOriginationSettings',
        [
          ['VoiceProtocol', peer.voiceProtocol],
          peer.voiceV2AppId ? ['HttpSettings', [['HttpVoiceV2AppId', peer.voiceV2AppId]]] : undefined,
        ],
      ],
    ],
  ]);
}

function findSite(store: NumbersStore, request: BwRequest): BwSite {
  const site = store.sites.get(request.params.siteId!);
  if (!site) throw numbersError(404, 'SiteResponse', 12016, `Site '${request.params.siteId}' does not exist`);
  return site;
}

function findPeer(store: NumbersStore, request: BwRequest): BwPeer {
  const site = findSite(store, request);
  const peer = store.peers.get(request.params.peerId!);
  if (!peer || peer.siteId !== site.id) {
    throw numbersError(
      404,
      'SipPeerResponse',
      13004,
      `SIP peer '${request.params.peerId}' does not exist on site '${site.id}'`,
    );
  }
  return peer;
}

function siteNode(site: BwSite, withAddress = true): XmlNode {
  return [
    'Site',
    [
      ['Id', site.id],
      ['Name', site.name],
      ['Description', site.description],
      withAddress && site.address ? ['Address', site.address.map(([name, text]): XmlNode => [name, text])] : undefined,
    ],
  ];
}

function peerNode(peer: BwPeer): XmlNode {
  return [
    'SipPeer',
    [
      ['PeerId', peer.id],
      ['PeerName', peer.name],
      ['Description', peer.description],
      ['IsDefaultPeer', peer.isDefault],
      ['ShortMessagingProtocol', 'SIP'],
      ['VoiceHosts', []],
      ['VoiceHostGroups', []],
      ['SmsHosts', []],
      ['TerminationHosts', []],
      [
        'CallingName',
        [
          ['Display', true],
          ['Enforced', false],
        ],
      ],
    ],
  ];
}
