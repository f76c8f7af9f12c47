// Control API for Bandwidth calls (/sandbox/bandwidth/…, no auth, JSON): outside phones call the account's
// numbers, simulated phones are answered/rejected/hung up by hand or by behaviour, calls are inspected, and a
// leg's media can be impaired (loss, delay).
import { CallRejected } from '../../calls/network';
import { FarEndStateError } from '../../phone-network/far-end';
import { parsePhoneSettings } from '../../phone-network/phone-behaviours';
import type { PhoneNetwork } from '../../phone-network/phone-network';
import { SandboxHttpError } from '../../errors';
import { jsonBody } from '../control-routes';
import { controlError } from '../http/bw-errors';
import type { BwRequest, BwRouter } from '../http/bw-router';
import { callView, isOver, type BwCall } from './bw-call';
import type { CallEngine } from './call-engine';

export function mountCallControl(router: BwRouter, engine: CallEngine, phones: PhoneNetwork): void {
  const open = (method: string, path: string, handler: Parameters<BwRouter['add']>[3]) =>
    router.add(method, `/sandbox/bandwidth${path}`, 'control', handler, 'none');
  const view = (call: BwCall) => {
    const far = phones.farEnd(call.id);
    return callView(
      call,
      far ? { kind: far.kind, state: far.state, stats: far.stats(), audioIn: far.audioIn() } : undefined,
    );
  };
  const find = (request: BwRequest) => {
    const call = engine.calls.get(request.params.callId!);
    if (!call) throw controlError(404, 'call-not-found', `No call ${request.params.callId}`);
    return call;
  };

  open('POST', '/calls/inbound', async (request) => {
    const { from, to, media } = jsonBody(request);
    if (typeof from !== 'string' || !/^\+[1-9]\d{6,14}$/.test(from))
      throw controlError(400, 'validation-error', 'from must be E.164');
    if (typeof to !== 'string') throw controlError(400, 'validation-error', 'to is required');
    if (media !== undefined && media !== 'tone' && media !== 'none')
      throw controlError(400, 'validation-error', "media must be 'tone' or 'none'");
    if (engine.options.store.findNumber(from))
      throw controlError(400, 'validation-error', 'from must be an outside number, not one of the account');
    try {
      const callId = await phones.callFromOutside(engine, { from, to, media: media ?? 'tone' });
      return { status: 201, body: { callId } };
    } catch (error) {
      if (error instanceof CallRejected)
        throw controlError(error.sipStatus === 404 ? 404 : 403, 'call-rejected', error.message);
      throw error;
    }
  });
  open('GET', '/calls', () => ({ status: 200, body: [...engine.calls.values()].map(view) }));
  open('GET', '/calls/:callId', (request) => ({ status: 200, body: view(find(request)) }));
  for (const action of ['answer', 'reject', 'hangup'] as const) {
    open('POST', `/calls/:callId/${action}`, async (request) => {
      const call = find(request);
      const far = phones.farEnd(call.id);
      if (!far) throw controlError(409, 'not-simulated', 'The far side of this call is not a simulated phone');
      try {
        if (action === 'answer') await far.answer();
        else if (action === 'reject') far.reject();
        else far.hangUp();
      } catch (error) {
        if (error instanceof FarEndStateError) throw controlError(409, 'far-end-invalid-state', error.message);
        throw error;
      }
      return { status: 200, body: view(call) };
    });
  }
  // The outside phone presses digits: they reach the platform's end of that leg (a <Record> with
  // terminatingDigits hears them). Out of band, as a phone's RFC 4733 events would arrive.
  open('POST', '/calls/:callId/dtmf', (request) => {
    const call = find(request);
    const { digits } = jsonBody(request);
    if (typeof digits !== 'string' || !/^[0-9*#A-D]{1,32}$/.test(digits))
      throw controlError(400, 'validation-error', 'digits must be 1-32 of 0-9, *, #, A-D');
    if (isOver(call)) throw controlError(409, 'call-over', 'The call has ended');
    for (const digit of digits) call.media.pressDigit(digit);
    return { status: 200, body: { callId: call.id, digits } };
  });
  open('PUT', '/calls/:callId/impairment', (request) => {
    const call = find(request);
    const { lossRate, delayMs } = jsonBody(request);
    if (typeof lossRate !== 'number' || lossRate < 0 || lossRate > 1)
      throw controlError(400, 'validation-error', 'lossRate must be from 0 to 1');
    if (typeof delayMs !== 'number' || !Number.isInteger(delayMs) || delayMs < 0 || delayMs > 5000) {
      throw controlError(400, 'validation-error', 'delayMs must be an integer from 0 to 5000');
    }
    if (isOver(call)) throw controlError(409, 'call-over', 'The call has ended');
    call.media.impairment = { lossRate, delayMs };
    return { status: 200, body: call.media.impairment };
  });

  const numbers = '/phone-network/numbers';
  open('GET', numbers, () => ({ status: 200, body: phones.behaviours.list() }));
  open('PUT', `${numbers}/:address`, (request) => {
    try {
      phones.behaviours.set(request.params.address!, parsePhoneSettings(jsonBody(request)));
    } catch (error) {
      if (error instanceof SandboxHttpError) throw controlError(400, 'validation-error', error.message);
      throw error;
    }
    return { status: 200, body: { address: request.params.address } };
  });
  open('DELETE', `${numbers}/:address`, (request) => ({
    status: phones.behaviours.reset(request.params.address!) ? 200 : 404,
    body: { address: request.params.address },
  }));
}
