// The Numbers API requests of the app's one-time set-up (docs/contracts/bandwidth-v2.md §3): Voice-V2 applications,
// sites, locations (SIP peers) and the origination settings that link a location to an application. Built and
// read in the element structure of @bandwidth/numbers' fixtures (`voiceApplication`, `applications`, `site`,
// `sites`, `sipPeer`, `sipPeers`, `originationSettings`).
import { NumbersApiError, segment, type NumbersHttp } from './numbers-http';
import { idFromLocation, unreadable } from './numbers-api';
import { child, children, childText, xmlDocument, type XmlElement } from './xml';

export interface VoiceApplicationSettings {
  appName: string;
  callInitiatedCallbackUrl: string;
  callStatusCallbackUrl: string;
  /** Basic credentials Bandwidth sends back on every callback. */
  callbackCreds: { userId: string; password: string };
}

export interface NamedResource {
  id: string;
  name: string;
}

export interface ApplicationSummary extends NamedResource {
  serviceType?: string;
  callInitiatedCallbackUrl?: string;
}

export interface SetupApi {
  createVoiceApplication(settings: VoiceApplicationSettings): Promise<string>;
  getApplication(applicationId: string): Promise<ApplicationSummary>;
  /** Partial update (the docs' PATCH): the callback URLs and credentials. */
  updateVoiceApplication(applicationId: string, settings: Omit<VoiceApplicationSettings, 'appName'>): Promise<void>;
  listApplications(): Promise<ApplicationSummary[]>;
  createSite(name: string, description: string): Promise<string>;
  getSite(siteId: string): Promise<NamedResource>;
  listSites(): Promise<NamedResource[]>;
  createLocation(siteId: string, name: string, description: string, isDefault: boolean): Promise<string>;
  getLocation(siteId: string, peerId: string): Promise<NamedResource>;
  listLocations(siteId: string): Promise<NamedResource[]>;
  /** The Voice-V2 application a location's numbers call; `exists` false when the location has no settings yet. */
  getOrigination(siteId: string, peerId: string): Promise<{ exists: boolean; applicationId?: string }>;
  /** Points the location's calls at the application (`create`: no settings exist yet → POST, else PUT). */
  setOriginationApplication(siteId: string, peerId: string, applicationId: string, create: boolean): Promise<void>;
}

export function createSetupApi(http: NumbersHttp): SetupApi {
  const applicationBody = (settings: Partial<VoiceApplicationSettings>, full: boolean) =>
    xmlDocument([
      'Application',
      [
        full ? ['ServiceType', 'Voice-V2'] : undefined,
        ['AppName', settings.appName],
        ['CallInitiatedCallbackUrl', settings.callInitiatedCallbackUrl],
        ['CallInitiatedMethod', 'POST'],
        ['CallStatusCallbackUrl', settings.callStatusCallbackUrl],
        ['CallStatusMethod', 'POST'],
        settings.callbackCreds
          ? [
              'CallbackCreds',
              [
                ['UserId', settings.callbackCreds.userId],
                ['Password', settings.callbackCreds.password],
              ],
            ]
          : undefined,
      ],
    ]);
  const originationPath = (siteId: string, peerId: string) =>
    `/sites/${segment(siteId)}/sippeers/${segment(peerId)}/products/origination/settings`;

  return {
    async createVoiceApplication(settings) {
      const response = await http({
        method: 'POST',
        path: '/applications',
        body: applicationBody(settings, true),
        repeatable: false,
        operation: 'application creation',
      });
      const id = childText(child(response.xml, 'Application'), 'ApplicationId') ?? idFromLocation(response.location);
      if (!id) throw unreadable('application creation');
      return id;
    },

    async getApplication(applicationId) {
      const { xml } = await http({
        method: 'GET',
        path: `/applications/${segment(applicationId)}`,
        repeatable: true,
        operation: 'application read',
      });
      const application = readApplication(child(xml, 'Application'));
      if (!application) throw unreadable('application read');
      return application;
    },

    async updateVoiceApplication(applicationId, settings) {
      // Setting the same URLs and credentials twice is the same as once: safe to repeat.
      await http({
        method: 'PATCH',
        path: `/applications/${segment(applicationId)}`,
        body: applicationBody(settings, false),
        repeatable: true,
        operation: 'application update',
      });
    },

    async listApplications() {
      const { xml } = await http({
        method: 'GET',
        path: '/applications',
        repeatable: true,
        operation: 'application list',
      });
      return children(child(xml, 'ApplicationList'), 'Application')
        .map(readApplication)
        .filter((a): a is ApplicationSummary => a !== undefined);
    },

    async createSite(name, description) {
      const response = await http({
        method: 'POST',
        path: '/sites',
        body: xmlDocument([
          'Site',
          [
            ['Name', name],
            ['Description', description],
          ],
        ]),
        repeatable: false,
        operation: 'site creation',
      });
      const id = childText(child(response.xml, 'Site'), 'Id') ?? idFromLocation(response.location);
      if (!id) throw unreadable('site creation');
      return id;
    },

    async getSite(siteId) {
      const { xml } = await http({
        method: 'GET',
        path: `/sites/${segment(siteId)}`,
        repeatable: true,
        operation: 'site read',
      });
      return named(child(xml, 'Site'), 'Id', 'Name') ?? failUnreadable('site read');
    },

    async listSites() {
      const { xml } = await http({ method: 'GET', path: '/sites', repeatable: true, operation: 'site list' });
      return children(child(xml, 'Sites'), 'Site')
        .map((s) => named(s, 'Id', 'Name'))
        .filter((s): s is NamedResource => s !== undefined);
    },

    async createLocation(siteId, name, description, isDefault) {
      const response = await http({
        method: 'POST',
        path: `/sites/${segment(siteId)}/sippeers`,
        body: xmlDocument([
          'SipPeer',
          [
            ['PeerName', name],
            ['Description', description],
            ['IsDefaultPeer', isDefault],
          ],
        ]),
        repeatable: false,
        operation: 'location creation',
      });
      const id = childText(child(response.xml, 'SipPeer'), 'PeerId') ?? idFromLocation(response.location);
      if (!id) throw unreadable('location creation');
      return id;
    },

    async getLocation(siteId, peerId) {
      const { xml } = await http({
        method: 'GET',
        path: `/sites/${segment(siteId)}/sippeers/${segment(peerId)}`,
        repeatable: true,
        operation: 'location read',
      });
      return named(child(xml, 'SipPeer'), 'PeerId', 'PeerName') ?? failUnreadable('location read');
    },

    async listLocations(siteId) {
      const { xml } = await http({
        method: 'GET',
        path: `/sites/${segment(siteId)}/sippeers`,
        repeatable: true,
        operation: 'location list',
      });
      return children(child(xml, 'SipPeers'), 'SipPeer')
        .map((p) => named(p, 'PeerId', 'PeerName'))
        .filter((p): p is NamedResource => p !== undefined);
    },

    async getOrigination(siteId, peerId) {
      try {
        const { xml } = await http({
          method: 'GET',
          path: originationPath(siteId, peerId),
          repeatable: true,
          operation: 'origination settings read',
        });
        const applicationId = childText(
          child(child(xml, 'SipPeerOriginationSettings'), 'HttpSettings'),
          'HttpVoiceV2AppId',
        );
        return { exists: true, ...(applicationId ? { applicationId } : {}) };
      } catch (error) {
        // No settings at all yet: they are created (POST) rather than updated.
        if (error instanceof NumbersApiError && error.status === 404) return { exists: false };
        throw error;
      }
    },

    async setOriginationApplication(siteId, peerId, applicationId, create) {
      await http({
        method: create ? 'POST' : 'PUT',
        path: originationPath(siteId, peerId),
        body: xmlDocument([
          'SipPeerOriginationSettings',
          [
            ['VoiceProtocol', 'HTTP'],
            ['HttpSettings', [['HttpVoiceV2AppId', applicationId]]],
          ],
        ]),
        // Pointing a location at an application twice is the same as once.
        repeatable: true,
        operation: 'origination settings',
      });
    },
  };
}

function readApplication(element: XmlElement | undefined): ApplicationSummary | undefined {
  const base = named(element, 'ApplicationId', 'AppName');
  if (!base) return undefined;
  const serviceType = childText(element, 'ServiceType');
  const url = childText(element, 'CallInitiatedCallbackUrl');
  return { ...base, ...(serviceType ? { serviceType } : {}), ...(url ? { callInitiatedCallbackUrl: url } : {}) };
}

function named(element: XmlElement | undefined, idName: string, nameName: string): NamedResource | undefined {
  const id = childText(element, idName);
  if (!id) return undefined;
  return { id, name: childText(element, nameName) ?? '' };
}

function failUnreadable(operation: string): never {
  throw unreadable(operation);
}
