// REGISTER (RFC 3261 §10.3) for endpoints (digest MD5 qop=auth with the endpoint password, or the
// `X-Callsign-Token` header of docs/contracts/catapult-v1.md §10) and for outside-phone pages (no auth, E.164 user).
import type { Directory } from '../context';
import type { BindingStore } from './binding-store';
import type { DigestAuthenticator } from './digest-auth';
import { readDigestCredentials } from './digest-auth';
import type { FlowTable } from './flow-table';
import { formatNameAddr, parseNameAddr, parseSipUri } from './sip-header-values';
import { aorOf, E164, endpointAor, findEndpointForUri, isOutsidePhoneUri } from './sip-identity';
import { getHeader, getHeaders, makeResponse, type SipRequest, type SipResponse } from './sip-message';

const DEFAULT_EXPIRES = 600;
const MAX_EXPIRES = 3600;

export interface RegistrarDeps {
  directory: Directory;
  digest: DigestAuthenticator;
  bindings: BindingStore;
  flows: FlowTable;
  now: () => number;
  log: (message: string, fields?: Record<string, unknown>) => void;
  newTag: () => string;
}

export type AuthOutcome =
  | { ok: true; endpointId?: string }
  | { ok: false; status: number; reason?: string; challenge?: { header: string; value: string } };

/**
 * Authenticates a request claiming to be `aorUri` (REGISTER: To; INVITE: From). Shared by the registrar and
 * the INVITE path (which challenges with 407 instead of 401).
 */
export function authenticateEndpoint(
  deps: Pick<RegistrarDeps, 'directory' | 'digest'>,
  request: SipRequest,
  aorUri: ReturnType<typeof parseSipUri> & object,
  challengeKind: 'www' | 'proxy',
): AuthOutcome {
  const token = getHeader(request, 'X-Callsign-Token')?.trim();
  const endpoint = findEndpointForUri(deps.directory, aorUri);
  if (token) {
    const owner = deps.directory.findEndpointByToken(token);
    if (!owner) return { ok: false, status: 403, reason: 'Invalid Or Expired Token' };
    if (!endpoint || owner.id !== endpoint.id) return { ok: false, status: 403, reason: 'Token Not For This AOR' };
    if (!owner.enabled) return { ok: false, status: 403, reason: 'Endpoint Disabled' };
    return { ok: true, endpointId: owner.id };
  }
  const [headerName, challengeName] =
    challengeKind === 'www' ? ['Authorization', 'WWW-Authenticate'] : ['Proxy-Authorization', 'Proxy-Authenticate'];
  const realm = endpoint?.realm ?? aorUri.host; // challenge unknown users too, so existence does not leak
  const credentials = readDigestCredentials(getHeader(request, headerName));
  const status = challengeKind === 'www' ? 401 : 407;
  if (!credentials)
    return { ok: false, status, challenge: { header: challengeName, value: deps.digest.challenge(realm) } };
  if (!endpoint || credentials.username !== endpoint.name) return { ok: false, status: 403, reason: 'Unknown User' };
  if (!endpoint.enabled) return { ok: false, status: 403, reason: 'Endpoint Disabled' };
  const check = deps.digest.verify(credentials, {
    realm: endpoint.realm,
    password: endpoint.password,
    method: request.method,
  });
  if (check.ok) return { ok: true, endpointId: endpoint.id };
  if (check.reason === 'stale-nonce') {
    return { ok: false, status, challenge: { header: challengeName, value: deps.digest.challenge(realm, true) } };
  }
  return { ok: false, status: 403, reason: 'Wrong Credentials' };
}

export function handleRegister(deps: RegistrarDeps, request: SipRequest, connectionId: string): SipResponse {
  const toTag = deps.newTag();
  const reply = (status: number, reason?: string, extra: Array<{ name: string; value: string }> = []) =>
    makeResponse(request, status, { toTag, ...(reason ? { reason } : {}), headers: extra });
  const to = parseNameAddr(getHeader(request, 'To') ?? '');
  const aorUri = to ? parseSipUri(to.uri) : undefined;
  if (!aorUri || aorUri.user === undefined) return reply(400, 'Bad To Header');
  const aor = aorOf(aorUri);

  let kind: 'endpoint' | 'outside-phone';
  let endpointId: string | undefined;
  if (isOutsidePhoneUri(aorUri)) {
    if (!E164.test(aorUri.user)) return reply(404, 'Outside Phone User Must Be E.164');
    if (deps.directory.findNumber(aorUri.user)) return reply(403, 'Number Belongs To A Catapult Account');
    kind = 'outside-phone';
  } else {
    const auth = authenticateEndpoint(deps, request, aorUri, 'www');
    if (!auth.ok) {
      deps.log('sip register rejected', { aor, status: auth.status, reason: auth.reason ?? 'challenge' });
      return reply(
        auth.status,
        auth.reason,
        auth.challenge ? [{ name: auth.challenge.header, value: auth.challenge.value }] : [],
      );
    }
    kind = 'endpoint';
    endpointId = auth.endpointId;
    const endpoint = deps.directory.findEndpoint(aorUri.user, aorUri.host);
    if (endpoint && endpointAor(endpoint) !== aor) return reply(403, 'AOR Mismatch');
  }

  const headerExpires = getHeader(request, 'Expires');
  const contacts = getHeaders(request, 'Contact');
  if (contacts.length === 1 && contacts[0]?.trim() === '*') {
    if (headerExpires?.trim() !== '0') return reply(400, 'Contact * Requires Expires 0');
    deps.bindings.removeAor(aor);
    deps.log('sip unregistered', { aor, contact: '*' });
    return reply(200);
  }
  for (const value of contacts) {
    const contact = parseNameAddr(value);
    const contactUri = contact && parseSipUri(contact.uri);
    if (!contact || !contactUri) return reply(400, 'Bad Contact');
    const requested = Number(contact.params.expires ?? headerExpires ?? DEFAULT_EXPIRES);
    if (!Number.isFinite(requested) || requested < 0) return reply(400, 'Bad Expires');
    if (requested === 0) {
      deps.bindings.remove(aor, contact.uri);
      deps.log('sip unregistered', { aor });
      continue;
    }
    deps.flows.learn(contactUri.host, connectionId);
    deps.bindings.upsert({
      aor,
      contact: value,
      contactUri: contact.uri,
      kind,
      connectionId,
      expiresAt: deps.now() + Math.min(requested, MAX_EXPIRES) * 1000,
      ...(endpointId ? { endpointId } : {}),
    });
    deps.log('sip registered', { aor, kind, expires: Math.min(requested, MAX_EXPIRES) });
  }
  // The 200 lists every current binding of the AOR with its remaining lifetime; JsSIP finds its own by
  // +sip.instance/reg-id or URI (docs/contracts/webrtc-testing.md §4.3), so each contact is echoed as sent, expires
  // replaced.
  const echoed = deps.bindings.list(aor).map((binding) => {
    const parsed = parseNameAddr(binding.contact)!;
    const remaining = Math.max(1, Math.round((binding.expiresAt - deps.now()) / 1000));
    return {
      name: 'Contact',
      value: formatNameAddr({ ...parsed, params: { ...parsed.params, expires: String(remaining) } }),
    };
  });
  return reply(200, undefined, echoed);
}
