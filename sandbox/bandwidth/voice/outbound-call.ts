// POST /calls, minimal: a call from one of the account's numbers to an outside phone. When the phone answers,
// `answer` goes to answerUrl and its BXML runs; `disconnect` goes to disconnectUrl (else the app's status URL).
import { isOver, type BwCall } from './bw-call';
import type { Callback } from './bxml';
import type { CallEngine } from './call-engine';
import { voiceError } from '../http/bw-errors';
import { LegMedia } from '../../media/leg-media';

export function placeApiCall(engine: CallEngine, body: Record<string, unknown>): BwCall {
  const { store } = engine.options;
  const { from, to, applicationId, answerUrl } = body;
  if (typeof to !== 'string' || !/^\+1[2-9]\d{9}$/.test(to))
    throw voiceError(400, 'validation', 'Invalid to: must be an E164 telephone number');
  if (typeof from !== 'string' || !store.findNumber(from))
    throw voiceError(400, 'validation', 'Invalid from: must be a number of the account');
  const application = typeof applicationId === 'string' ? store.applications.get(applicationId) : undefined;
  if (!application || application.serviceType !== 'Voice-V2')
    throw voiceError(400, 'validation', 'applicationId must be a Voice-V2 application of the account');
  if (typeof answerUrl !== 'string' || !/^https?:\/\/.+/.test(answerUrl))
    throw voiceError(400, 'validation', 'answerUrl must be an absolute http(s) URL');
  const timeoutS = typeof body.callTimeout === 'number' ? body.callTimeout : 30;
  if (!(timeoutS >= 1 && timeoutS <= 300)) throw voiceError(400, 'validation', 'callTimeout must be from 1 to 300');
  const method = (name: string) => (textOf(body[name], 'POST').toUpperCase() === 'GET' ? 'GET' : 'POST');
  const answer: Callback = {
    url: answerUrl,
    method: method('answerMethod'),
    ...(typeof body.username === 'string' ? { username: body.username, password: textOf(body.password, '') } : {}),
  };
  const status: Callback | undefined =
    typeof body.disconnectUrl === 'string'
      ? { url: body.disconnectUrl, method: method('disconnectMethod') }
      : application.callStatusCallbackUrl
        ? { url: application.callStatusCallbackUrl, method: application.callStatusMethod }
        : undefined;
  const media = new LegMedia();
  const call = engine.insert({
    direction: 'outbound',
    from,
    to,
    origin: 'api',
    app: {
      applicationId: application.id,
      initiate: answer,
      ...(status ? { status } : {}),
      ...(application.callbackCreds ? { creds: application.callbackCreds } : {}),
    },
    party: { kind: 'callee' },
    media,
    ...(typeof body.tag === 'string' ? { tag: body.tag } : {}),
    ...(typeof body.uui === 'string' ? { uui: body.uui } : {}),
  });
  call.timer = setTimeout(() => engine.hangup(call, 'timeout'), timeoutS * 1000);
  call.timer.unref();
  void ring(engine, call, answer);
  return call;
}

async function ring(engine: CallEngine, call: BwCall, answer: Callback): Promise<void> {
  let offer: string;
  try {
    offer = await call.media.offer();
  } catch (error) {
    engine.hangup(call, 'error', `media could not be set up: ${(error as Error).message}`);
    return;
  }
  if (isOver(call)) return;
  const signals = {
    answered: (sdp?: string) => {
      if (isOver(call)) return;
      clearTimeout(call.timer);
      call.state = 'answered';
      call.answerTime = engine.options.now();
      void (async () => {
        if (sdp !== undefined) await call.media.acceptAnswer(sdp).catch(() => undefined);
        await engine.startWith(call, 'answer', answer);
      })();
    },
    ended: (cause: Parameters<CallEngine['partyEnded']>[1]) => engine.partyEnded(call.id, cause),
  };
  for (const ringer of engine.options.ringers) {
    const control = ringer.ring({ callId: call.id, from: call.from, to: call.to, offer, signals });
    if (control) {
      if (!isOver(call) && call.party.kind === 'callee') call.party.control = control;
      return;
    }
  }
  engine.hangup(call, 'error', `Nothing answers ${call.to} in the sandbox's phone network`);
}

/** A string field, or `fallback` when it is absent or not a string. */
export function textOf(value: unknown, fallback: string): string {
  return typeof value === 'string' ? value : fallback;
}
