// CONFIG_SETTINGS: the single description of every setting the app reads. The ARM template test, the dev
// stack and the README derive from it. `provider` marks a setting that only one provider uses; `required`
// then means "required when that provider is selected" (the provider is chosen by which credentials are set).
import type { ProviderName } from './api-types';
import { LIMIT_SETTINGS } from './limits/limit-settings';
import { ACCOUNT_SETTINGS } from './accounts/account-settings';

export interface SettingInfo {
  name: string;
  required: boolean;
  secret: boolean;
  description: string;
  default?: string;
  provider?: ProviderName;
  /**
   * The dialpad itself connects there, so its CSP's connect-src must name it: `url` (a WebSocket URL) or
   * `endpoint` (a connection string whose Endpoint the dialpad opens a WebSocket on).
   */
  dialpadConnects?: 'url' | 'endpoint';
}

/** Bootstrap appends "-" and this many random characters to the domain name and the application name. */
export const DOMAIN_SUFFIX_LENGTH = 8;
export const MAX_DOMAIN_NAME = 63 - 1 - DOMAIN_SUFFIX_LENGTH;
export const MIN_APP_SECRET = 32;

export const CATAPULT_CREDENTIALS = ['CATAPULT_USER_ID', 'CATAPULT_API_TOKEN', 'CATAPULT_API_SECRET'] as const;
export const BANDWIDTH_CREDENTIALS = [
  'BANDWIDTH_ACCOUNT_ID',
  'BANDWIDTH_CLIENT_ID',
  'BANDWIDTH_CLIENT_SECRET',
] as const;

const catapult = (s: Omit<SettingInfo, 'provider'>): SettingInfo => ({ ...s, provider: 'catapult' });
const bandwidth = (s: Omit<SettingInfo, 'provider'>): SettingInfo => ({ ...s, provider: 'bandwidth' });

export const CONFIG_SETTINGS: readonly SettingInfo[] = Object.freeze(
  [
    catapult({
      name: 'CATAPULT_USER_ID',
      required: true,
      secret: false,
      description: 'Catapult user id (u-…), the path segment of every user-scoped API call.',
    }),
    catapult({
      name: 'CATAPULT_API_TOKEN',
      required: true,
      secret: true,
      description: 'Catapult API token (HTTP Basic user).',
    }),
    catapult({
      name: 'CATAPULT_API_SECRET',
      required: true,
      secret: true,
      description: 'Catapult API secret (HTTP Basic password).',
    }),
    catapult({
      name: 'CATAPULT_DOMAIN_NAME',
      required: true,
      secret: false,
      description: `Desired SIP domain name: lowercase letters, digits and "-", starting with a letter, at most ${MAX_DOMAIN_NAME} characters; a random suffix is appended.`,
    }),
    catapult({
      name: 'CATAPULT_API_URL',
      required: false,
      secret: false,
      default: 'https://api.catapult.inetwork.com/v1',
      description: 'Catapult v1 REST base URL (point it at the sandbox locally).',
    }),
    catapult({
      name: 'CATAPULT_SIP_WEBSOCKET_URL',
      dialpadConnects: 'url',
      required: false,
      secret: false,
      default: 'wss://webrtc.registration.bandwidth.com:10443',
      description: 'SIP-over-WebSocket server the dialpad registers with.',
    }),
    bandwidth({
      name: 'BANDWIDTH_ACCOUNT_ID',
      required: true,
      secret: false,
      description: 'Bandwidth account id (digits). With BANDWIDTH_CLIENT_ID and _SECRET it selects Bandwidth.',
    }),
    bandwidth({
      name: 'BANDWIDTH_CLIENT_ID',
      required: true,
      secret: false,
      description: 'Client id of the Bandwidth API credential that sets the app up and orders numbers (OAuth2).',
    }),
    bandwidth({
      name: 'BANDWIDTH_CLIENT_SECRET',
      required: true,
      secret: true,
      description: 'Client secret of that credential. Its tokens never leave the server.',
    }),
    bandwidth({
      name: 'BANDWIDTH_WEBRTC_CLIENT_ID',
      required: true,
      secret: false,
      description: 'Client id of a second, narrow credential limited to In-App Calling: browsers get its tokens.',
    }),
    bandwidth({
      name: 'BANDWIDTH_WEBRTC_CLIENT_SECRET',
      required: true,
      secret: true,
      description: 'Client secret of the In-App Calling credential.',
    }),
    bandwidth({
      name: 'BANDWIDTH_API_URL',
      required: false,
      secret: false,
      default: 'https://api.bandwidth.com',
      description: 'Bandwidth Numbers (account) API base URL; requests go to <url>/api/accounts/<id>/….',
    }),
    bandwidth({
      name: 'BANDWIDTH_VOICE_URL',
      required: false,
      secret: false,
      default: 'https://voice.bandwidth.com',
      description: 'Bandwidth Voice API base URL; requests go to <url>/api/v2/accounts/<id>/….',
    }),
    bandwidth({
      name: 'BANDWIDTH_OAUTH_URL',
      required: false,
      secret: false,
      default: 'https://api.bandwidth.com/api/v1/oauth2/token',
      description: 'OAuth2 token endpoint of the main credential.',
    }),
    bandwidth({
      name: 'BANDWIDTH_WEBRTC_OAUTH_URL',
      required: false,
      secret: false,
      default: 'https://id.bandwidth.com/api/v1/oauth2/token',
      description: 'OAuth2 token endpoint of the In-App Calling credential (an assumption: see the README).',
    }),
    bandwidth({
      name: 'BANDWIDTH_WEBRTC_GATEWAY_URL',
      dialpadConnects: 'url',
      required: false,
      secret: false,
      default: 'wss://gw.webrtc-app.bandwidth.com:10081',
      description: 'In-App Calling gateway (SIP over WebSocket) the dialpad connects to.',
    }),
    bandwidth({
      name: 'BANDWIDTH_IN_APP_NUMBERS',
      required: true,
      secret: false,
      description:
        "The account's In-App Calling number(s), E.164, comma-separated: the `from` of every dialpad call. A call from one without the app's caller token is refused.",
    }),
    bandwidth({
      name: 'BANDWIDTH_SITE_ID',
      required: false,
      secret: false,
      default: '',
      description: 'Reuse this sub-account (site) instead of creating one. Empty: the app creates its own.',
    }),
    bandwidth({
      name: 'BANDWIDTH_LOCATION_ID',
      required: false,
      secret: false,
      default: '',
      description: 'Reuse this location (SIP peer) of BANDWIDTH_SITE_ID. Empty: the app creates its own.',
    }),
    bandwidth({
      name: 'WEB_PUBSUB_CONNECTION_STRING',
      dialpadConnects: 'endpoint',
      required: true,
      secret: true,
      description:
        'Azure Web PubSub connection string (Endpoint=…;AccessKey=…;Version=1.0;): how incoming calls reach the dialpads.',
    }),
    bandwidth({
      name: 'WEB_PUBSUB_HUB',
      required: false,
      secret: false,
      default: 'calls',
      description: 'Web PubSub hub for incoming-call notifications (letters, digits, "_").',
    }),
    {
      name: 'PUBLIC_BASE_URL',
      required: true,
      secret: false,
      description:
        'Public https base URL of this Function App; the provider posts call events to <PUBLIC_BASE_URL>/api/catapult/events (Catapult) or /api/bandwidth/callbacks (Bandwidth).',
    },
    {
      name: 'AzureWebJobsStorage',
      required: false,
      secret: true,
      default: '',
      description:
        "Storage account connection string (Table Storage, the dialpad's static website); UseDevelopmentStorage=true for Azurite. Required unless AzureWebJobsStorage__accountName is set instead.",
    },
    {
      name: 'AzureWebJobsStorage__accountName',
      required: false,
      secret: false,
      default: '',
      description:
        "Instead of AzureWebJobsStorage (as the Functions host reads it): the storage account's name, reached with the Function App's managed identity and its data-plane roles, no account key.",
    },
    {
      name: 'APP_SECRET',
      required: true,
      secret: true,
      description: `At least ${MIN_APP_SECRET} random characters; session, SIP-password, webhook and call-token keys are derived from it.`,
    },
    {
      name: 'ALLOWED_DIAL_COUNTRIES',
      required: false,
      secret: false,
      default: 'US,CA',
      description: 'Comma-separated ISO country codes users may call.',
    },
    {
      name: 'APP_NAME',
      required: false,
      secret: false,
      default: 'voice-reference-app',
      description:
        'Prefix of the names of the resources the app creates at the provider (lowercase letters, digits, "-").',
    },
    {
      name: 'SESSION_TTL_HOURS',
      required: false,
      secret: false,
      default: '720',
      description: 'Lifetime of a log-in session token, in hours (1–8760).',
    },
    ...LIMIT_SETTINGS,
    {
      name: 'SIGNUP_RESUME_MINUTES',
      required: false,
      secret: false,
      default: '10',
      description:
        'How long a sign-up cut short (an outage, a stopped instance) can be resumed by sending it again, in minutes (0–1440); after that the app releases its number and endpoint.',
    },
    ...ACCOUNT_SETTINGS,
  ].map((s) => Object.freeze(s)),
);
