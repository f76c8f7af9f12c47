// What the browser journeys need to know of the provider they run on: how the sandbox plays an outside phone
// (calling the user, being called), where the dialpad's credential shows in its REGISTER, when it refreshes,
// and how the account tab answers. The journeys themselves (dialpad-journeys.ts) are the same for both.
import assert from 'node:assert/strict';
import type { ProviderName, Stack } from '../../../dev/stack';

/** The outside phone's side of a call the dialpad placed, as the sandbox reports it. */
export interface OutsideCall {
  id: string;
  /** The caller id the outside phone saw. */
  from: string;
  /** RTP packets the outside phone received (the browser's audio). */
  rtpIn: number;
  ended: boolean;
}

export interface ProviderUnderTest {
  name: ProviderName;
  /** An outside phone (`from`) calls `to`, the way a real phone would reach the user's number. */
  callFromOutside(stack: Stack, from: string, to: string): Promise<void>;
  /** Whether the newest call from the outside phone `from` to `to` has ended (undefined: no such call). */
  callFromOutsideEnded(stack: Stack, from: string, to: string): Promise<boolean | undefined>;
  /** The outside phone `from` hangs up its newest call to `to`. */
  hangUpFromOutside(stack: Stack, from: string, to: string): Promise<void>;
  /** The newest call the sandbox placed to the outside phone `number`, if any. */
  outsideCall(stack: Stack, number: string): Promise<OutsideCall | undefined>;
  /** The dialpad's credential in a REGISTER it sent, if this frame is one. */
  registerCredential(frame: string): string | undefined;
  /** The credential of a `POST /api/me/webrtc-token` answer that REGISTERs must carry. */
  issuedCredential(body: Record<string, unknown>): string;
  /**
   * Whether a refresh answers with a new credential even though only the page's clock moved: Catapult's sandbox
   * issues a new endpoint token each time; on Bandwidth the server keeps its In-App Calling token for half its
   * lifetime and a caller token signed in the same second is the same token.
   */
  newCredentialOnEveryRefresh: boolean;
  /**
   * Whether the media path of a call between two dialpads negotiates RFC 4733 telephone-event, so in-band DTMF
   * can be sent: yes between two browsers on Catapult; not on the Bandwidth sandbox, whose platform legs offer
   * PCMU only.
   */
  inBandDtmfBetweenDialpads: boolean;
  /** When the dialpad must have fetched new credentials, after the answer `body` (ms after it was issued). */
  refreshDueMs(body: Record<string, unknown>, issuedAt: number): number;
  /** How many WebSockets a registered dialpad keeps open (SIP, and on Bandwidth the notification channel). */
  openSockets: number;
  /**
   * Whether the caller's dialpad sees a call to another user ring (and plays its ringback) until the callee
   * answers. Not on Bandwidth yet: the app parks such a call with <Ring>, which answers the caller's leg (BXML
   * verbs answer an unanswered call unless told not to), so the caller's dialpad shows it connected, with no
   * ringback of its own, while the callee's dialpad rings.
   */
  callerSeesUserCallRing: boolean;
  /**
   * Whether a dialpad's hold reaches the far end: yes on Catapult, which passes the re-INVITE's a=sendonly
   * through, so the other dialpad shows the call held and stops sending. Bandwidth's platform is a back-to-back
   * agent that answers each leg's re-INVITE itself (with the call's old SDP) and tells the other leg nothing, so
   * the other dialpad cannot know and the platform goes on sending to the held one (which silences it).
   */
  holdReachesFarEnd: boolean;
  /**
   * Whether the SIP side refuses a dial string that is not a phone number (`12345`) before the app sees the call:
   * Bandwidth's In-App Calling gateway does (404; the dialpad still says "Not a valid number"), so such a call is
   * in no history; on Catapult the app refuses it, and its history says why.
   */
  sipRefusesNonNumbers: boolean;
  /** The URL of the dialpad's SIP WebSocket (the sandbox's SIP server, or its In-App Calling gateway). */
  sipWebSocket: RegExp;
}

async function json<T>(url: string, init?: RequestInit): Promise<T> {
  const response = await fetch(url, init);
  assert.ok(response.ok, `${init?.method ?? 'GET'} ${url} → ${response.status} ${await response.clone().text()}`);
  return (await response.json()) as T;
}

const post = (body: unknown): RequestInit => ({
  method: 'POST',
  headers: { 'Content-Type': 'application/json' },
  body: JSON.stringify(body),
});

const catapult: ProviderUnderTest = {
  name: 'catapult',
  async callFromOutside(stack, from, to) {
    await json(`${stack.sandbox!.baseUrl}/sandbox/calls/inbound`, post({ from, to }));
  },
  async callFromOutsideEnded(stack, from, to) {
    const calls = await json<Array<{ from: string; to: string; state: string }>>(
      `${stack.sandbox!.baseUrl}/sandbox/calls`,
    );
    const call = calls.filter((candidate) => candidate.from === from && candidate.to === to).at(-1);
    return call && call.state === 'completed';
  },
  async hangUpFromOutside(stack, from, to) {
    const calls = await json<Array<{ id: string; from: string; to: string }>>(
      `${stack.sandbox!.baseUrl}/sandbox/calls`,
    );
    const call = calls.filter((candidate) => candidate.from === from && candidate.to === to).at(-1);
    if (call) await json(`${stack.sandbox!.baseUrl}/sandbox/calls/${call.id}/hangup`, post({}));
  },
  async outsideCall(stack, number) {
    const calls = await json<
      Array<{
        id: string;
        from: string;
        state: string;
        farEnd: { address: string } | null;
        media: { rtpIn: number } | null;
      }>
    >(`${stack.sandbox!.baseUrl}/sandbox/calls`);
    const call = calls.filter((candidate) => candidate.farEnd?.address === number).at(-1);
    return call && { id: call.id, from: call.from, rtpIn: call.media?.rtpIn ?? 0, ended: call.state === 'completed' };
  },
  registerCredential: (frame) =>
    frame.startsWith('REGISTER ') ? /^X-Callsign-Token: *(\S+)/im.exec(frame)?.[1] : undefined,
  issuedCredential: (body) => String(body.token),
  newCredentialOnEveryRefresh: true,
  inBandDtmfBetweenDialpads: true,
  refreshDueMs: (body, issuedAt) => Date.parse(String(body.expiresAt)) - issuedAt - 30_000,
  openSockets: 1,
  sipWebSocket: /\/sip$/,
  callerSeesUserCallRing: true,
  holdReachesFarEnd: true,
  sipRefusesNonNumbers: false,
};

const bandwidth: ProviderUnderTest = {
  name: 'bandwidth',
  async callFromOutside(stack, from, to) {
    await json(`${stack.sandbox!.baseUrl}/sandbox/bandwidth/calls/inbound`, post({ from, to }));
  },
  async callFromOutsideEnded(stack, from, to) {
    const calls = await json<Array<{ from: string; to: string; state: string; origin: string }>>(
      `${stack.sandbox!.baseUrl}/sandbox/bandwidth/calls`,
    );
    const call = calls
      .filter((candidate) => candidate.origin === 'phone' && candidate.from === from && candidate.to === to)
      .at(-1);
    return call && call.state === 'disconnected';
  },
  async hangUpFromOutside(stack, from, to) {
    const calls = await json<Array<{ id: string; from: string; to: string; origin: string }>>(
      `${stack.sandbox!.baseUrl}/sandbox/bandwidth/calls`,
    );
    const call = calls
      .filter((candidate) => candidate.origin === 'phone' && candidate.from === from && candidate.to === to)
      .at(-1);
    if (call) await json(`${stack.sandbox!.baseUrl}/sandbox/bandwidth/calls/${call.id}/hangup`, post({}));
  },
  async outsideCall(stack, number) {
    const calls = await json<
      Array<{
        id: string;
        from: string;
        to: string;
        state: string;
        origin: string;
        farEnd: { stats: { rtpIn: number } } | null;
      }>
    >(`${stack.sandbox!.baseUrl}/sandbox/bandwidth/calls`);
    const call = calls.filter((candidate) => candidate.origin === 'transfer' && candidate.to === number).at(-1);
    return (
      call && {
        id: call.id,
        from: call.from,
        rtpIn: call.farEnd?.stats.rtpIn ?? 0,
        ended: call.state === 'disconnected',
      }
    );
  },
  registerCredential: (frame) =>
    frame.startsWith('REGISTER ') ? /^Authorization: *Bearer +(\S+)/im.exec(frame)?.[1] : undefined,
  issuedCredential: (body) => String(body.token),
  newCredentialOnEveryRefresh: false,
  inBandDtmfBetweenDialpads: false,
  // Refreshed before the earlier of the In-App Calling token's and the caller token's expiry.
  refreshDueMs: (body, issuedAt) =>
    Math.min(Date.parse(String(body.expiresAt)), Date.parse(String(body.callerTokenExpiresAt))) - issuedAt - 30_000,
  openSockets: 2,
  sipWebSocket: /\/bandwidth\/webrtc$/,
  callerSeesUserCallRing: false,
  holdReachesFarEnd: false,
  sipRefusesNonNumbers: true,
};

export const PROVIDERS: Record<ProviderName, ProviderUnderTest> = { catapult, bandwidth };
