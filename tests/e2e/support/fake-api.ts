// A scripted stand-in for the app's HTTP API, for browser tests of the dialpad's error handling:
// each behaviour is keyed on input (username, area code…) so a test picks a failure by what it types.
// Speaks the real contract (core/api-types.ts) including CORS, on 127.0.0.1 and an ephemeral port.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type {
  ApiErrorBody,
  AvailableNumberView,
  CallHistoryResponse,
  OfferedNumberView,
  SessionResponse,
  SipCredentialsView,
} from '../../../core/api-types';

export interface FakeApi {
  url: string;
  /** Requests seen, as "METHOD /path?query". */
  requests: string[];
  close(): Promise<void>;
}

/** The fake's search signature of a number: the dialpad must send it back with the order. */
const signatureOf = (number: string) => `sig-${number.slice(-4)}`;
const offered = (numbers: AvailableNumberView[]): OfferedNumberView[] =>
  numbers.map((n) => ({ ...n, signature: signatureOf(n.number), signatureExpiresAt: '2026-11-26T10:15:00.000Z' }));

const NUMBERS_919: AvailableNumberView[] = [
  { number: '+19195550100', nationalNumber: '(919) 555-0100', city: 'Cary', state: 'NC' },
  { number: '+19195550123', nationalNumber: '(919) 555-0123', city: 'Cary', state: 'NC' },
  { number: '+19195550145', nationalNumber: '(919) 555-0145', city: 'Raleigh', state: 'NC' },
];
const NUMBERS_919_AFTER_RACE: AvailableNumberView[] = [
  { number: '+19195550177', nationalNumber: '(919) 555-0177', city: 'Durham', state: 'NC' },
  { number: '+19195550188', nationalNumber: '(919) 555-0188', city: 'Durham', state: 'NC' },
];

function sessionFor(username: string, number: string, token: string): SessionResponse {
  return {
    token,
    expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
    refreshToken: `refresh-${token}`,
    refreshExpiresAt: new Date(Date.now() + 86_400_000).toISOString(),
    sessionId: `session-${token}`.padEnd(22, 'x').slice(0, 22),
    passkeySetup: 'none',
    user: {
      username,
      number,
      nationalNumber: `(${number.slice(2, 5)}) ${number.slice(5, 8)}-${number.slice(8)}`,
      sipUri: `sip:u-${username}@vra-local.bwapp.bwsip.io`,
      createdAt: '2026-11-26T09:00:00.000Z',
    },
  };
}

const HISTORY: CallHistoryResponse = {
  calls: [
    {
      callId: 'c-3',
      direction: 'inbound',
      peer: '+19195550199',
      state: 'completed',
      startedAt: '2026-11-26T09:41:00Z',
      answeredAt: '2026-11-26T09:41:04Z',
      endedAt: '2026-11-26T09:44:19Z',
    },
    {
      callId: 'c-2',
      direction: 'outbound',
      peer: '+18005550111',
      state: 'failed',
      startedAt: '2026-11-26T09:12:00Z',
      endedAt: '2026-11-26T09:12:31Z',
      cause: 'NO_ANSWER',
    },
    {
      callId: 'c-1',
      direction: 'inbound',
      peer: '+12125550143',
      state: 'completed',
      startedAt: '2026-11-25T17:03:00Z',
      endedAt: '2026-11-25T17:03:20Z',
    },
  ],
};

const SIP: SipCredentialsView = {
  sipUri: 'sip:u-alice@vra-local.bwapp.bwsip.io',
  username: 'u-alice',
  password: 'Xq7-secret-Pw4',
  realm: 'vra-local.bwapp.bwsip.io',
  websocketUrl: 'wss://webrtc.registration.bandwidth.com:10443',
};

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
}
function fail(
  res: ServerResponse,
  status: number,
  code: ApiErrorBody['error']['code'],
  message: string,
  field?: string,
  retryAfterSeconds?: number,
): void {
  if (retryAfterSeconds !== undefined) res.setHeader('Retry-After', String(retryAfterSeconds));
  send(res, status, {
    error: { code, message, ...(field ? { field } : {}), ...(retryAfterSeconds ? { retryAfterSeconds } : {}) },
  });
}

async function readBody(req: IncomingMessage): Promise<Record<string, string>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, string>;
}

export async function startFakeApi(allowedOrigin: () => string): Promise<FakeApi> {
  const requests: string[] = [];
  let raceLost = false; // the first order of (919) 555-0100 loses a race, as if someone else got it
  let offerExpired = false; // user "late": the first order says the search result expired
  let eveReadHistory = false; // eve's session is revoked right after the dialpad's own first read
  let eveReadVoicemail = false; // the same for its first read of the voicemail

  const server = createServer((req, res) => {
    res.setHeader('Access-Control-Allow-Origin', allowedOrigin());
    res.setHeader('Vary', 'Origin');
    if (req.method === 'OPTIONS') {
      res.writeHead(204, {
        'Access-Control-Allow-Methods': 'GET, POST, DELETE',
        'Access-Control-Allow-Headers': 'Authorization, Content-Type, Cache-Control',
      });
      res.end();
      return;
    }
    const url = new URL(req.url ?? '/', 'http://x');
    requests.push(`${req.method} ${url.pathname}${url.search}`);
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    void (async () => {
      const route = `${req.method} ${url.pathname}`;
      if (route === 'GET /api/numbers') {
        if (url.searchParams.get('zip') === '99999')
          return fail(res, 503, 'provider-unavailable', 'Catapult is unavailable.');
        if (url.searchParams.get('areaCode') === '555')
          return fail(res, 400, 'invalid-search', 'Area code 555 is not a real area code.', 'areaCode');
        if (url.searchParams.get('areaCode') === '907') return send(res, 200, { numbers: [] });
        return send(res, 200, { numbers: offered(raceLost || offerExpired ? NUMBERS_919_AFTER_RACE : NUMBERS_919) });
      }
      if (route === 'POST /api/users') {
        const body = await readBody(req);
        if (body.username === 'taken') return fail(res, 409, 'username-taken', 'That username is taken.', 'username');
        if (body.signature !== signatureOf(body.number ?? ''))
          return fail(res, 403, 'number-not-offered', 'Choose a number from the search results.', 'number');
        if (body.username === 'scripted') {
          const message = 'Too many sign-ups from your network. Try again in 42 minutes.';
          return fail(res, 429, 'too-many-signups', message, undefined, 2520);
        }
        if (body.username === 'invited' && !body.signupCode)
          return fail(res, 403, 'signup-code-required', 'Sign-up needs an invitation code.', 'signupCode');
        if (body.username === 'invited' && body.signupCode !== 'let-me-in')
          return fail(res, 403, 'signup-code-invalid', 'That invitation code is not valid.', 'signupCode');
        if (body.username === 'late' && !offerExpired) {
          offerExpired = true;
          return fail(res, 403, 'number-offer-expired', 'That number was offered too long ago.', 'number');
        }
        if (body.number === '+19195550100' && !raceLost) {
          raceLost = true;
          return fail(res, 409, 'number-unavailable', 'That number is no longer available.', 'number');
        }
        await new Promise((resolve) => setTimeout(resolve, 800)); // ordering takes a moment upstream
        return send(res, 201, sessionFor(body.username!, body.number!, `token-${body.username}`));
      }
      if (route === 'POST /api/login') {
        const body = await readBody(req);
        if (body.username === 'alice') return send(res, 200, sessionFor('alice', '+19195550100', 'token-alice'));
        if (body.username === 'eve') return send(res, 200, sessionFor('eve', '+19195550166', 'token-revoked'));
        if (body.username === 'hammer') {
          const message = 'Too many log-in attempts for this username. Try again in a few seconds.';
          return fail(res, 429, 'too-many-logins', message, undefined, 30);
        }
        return fail(res, 404, 'user-not-found', 'No user with that username.');
      }
      if (route === 'POST /api/token') {
        // eve's session was ended elsewhere: her refresh token is refused too, so the dialpad logs her out
        const body = await readBody(req);
        if (body.refreshToken === 'refresh-token-revoked' || !body.refreshToken?.startsWith('refresh-')) {
          return fail(res, 401, 'unauthorized', 'This session has ended. Log in again.');
        }
        return send(res, 200, {
          token: body.refreshToken.slice('refresh-'.length),
          expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
        });
      }
      if (!token || token === 'token-revoked') {
        // Keep eve logged in until she acts: the history the dialpad reads by itself at log-in still answers
        // (once), so the 401 comes from what she does next.
        if (token && route === 'GET /api/me/calls' && !eveReadHistory) {
          eveReadHistory = true;
          return send(res, 200, { calls: [] });
        }
        if (token && route === 'GET /api/me/voicemails' && !eveReadVoicemail) {
          eveReadVoicemail = true;
          return send(res, 200, { voicemails: [], unread: 0 });
        }
        if (route === 'POST /api/me/webrtc-token') return fail(res, 503, 'provider-unavailable', 'Try later.'); // keep eve logged in until she acts
        return fail(res, 401, 'unauthorized', 'Your session has expired.');
      }
      if (route === 'GET /api/me/calls') return send(res, 200, HISTORY);
      if (route === 'GET /api/me/voicemails') return send(res, 200, { voicemails: [], unread: 0 });
      if (route === 'DELETE /api/me/sessions/current') return send(res, 204, undefined);
      if (route === 'GET /api/me/passkeys') return send(res, 200, { available: true, required: false, passkeys: [] });
      if (route === 'GET /api/me/sessions') {
        const at = '2026-11-26T09:00:00.000Z';
        const session = { device: 'Chrome on Linux', clientAddress: '203.0.113.7', method: 'username' as const };
        return send(res, 200, {
          sessions: [
            { ...session, id: 'AAAAAAAAAAAAAAAAAAAAAA', createdAt: at, lastSeenAt: at, expiresAt: at, current: true },
            {
              ...session,
              id: 'BBBBBBBBBBBBBBBBBBBBBB',
              device: 'Safari on iPhone',
              createdAt: at,
              lastSeenAt: at,
              expiresAt: at,
              current: false,
            },
          ],
        });
      }
      if (route === 'GET /api/me/sip') return send(res, 200, SIP);
      if (route === 'POST /api/me/webrtc-token')
        return fail(res, 503, 'provider-unavailable', 'Catapult is unavailable.');
      return fail(res, 404, 'not-found', 'No such route.');
    })().catch(() => fail(res, 500, 'internal-error', 'fake api failed'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
