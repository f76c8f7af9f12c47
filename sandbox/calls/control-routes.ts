// The sandbox control API for calls (no auth, JSON, under /sandbox): place calls from outside phones
// and simulated endpoints, act as the far side of simulated legs, inspect calls and their event
// deliveries, set phone behaviours, and inject event-delivery faults.
import type { SandboxContext, SandboxRequest } from '../context';
import { catapultError, conflict, notFound } from '../errors';
import type { EventFaults } from '../events/event-faults';
import { parseEventFault } from '../events/event-faults';
import { FarEndStateError } from '../phone-network/far-end';
import { parsePhoneSettings } from '../phone-network/phone-behaviours';
import type { PhoneNetwork } from '../phone-network/phone-network';
import { bodyObject, optionalString, validationError } from '../rest/validation';
import type { CallMedia } from './call-media';
import type { CallModel } from './call-model';
import { isEnded, type CallRecord } from './call-record';
import { controlCallView } from './call-view';
import { isDialTarget, isE164, parseSipUri } from './dial-target';
import { CallRejected } from './network';

export interface CallControlDeps {
  model: CallModel;
  phones: PhoneNetwork;
  eventFaults: EventFaults;
  media: CallMedia;
}

export function mountCallControlRoutes(ctx: SandboxContext, deps: CallControlDeps): void {
  const { router, directory } = ctx;
  const { model, phones, eventFaults, media } = deps;
  const view = (call: CallRecord) => controlCallView(call, phones.farEnd(call.id), media.errors.get(call.id));
  const open = { auth: 'none' as const, family: 'sandbox' };

  router.add(
    'POST',
    '/sandbox/calls/inbound',
    async (request) => {
      const body = bodyObject(request.body);
      const from = optionalString(body, 'from');
      const to = optionalString(body, 'to');
      if (!from || !isE164(from)) throw validationError('from must be an E.164 number');
      if (!to || !isE164(to)) throw validationError('to must be an E.164 number');
      const media = optionalString(body, 'media') ?? 'tone';
      if (media !== 'tone' && media !== 'none') throw validationError('media must be tone or none');
      const callId = await placing(() => phones.callFromOutside(model, { from, to, media }));
      return { status: 201, body: { callId } };
    },
    open,
  );

  router.add(
    'POST',
    '/sandbox/calls/endpoint',
    async (request) => {
      const body = bodyObject(request.body);
      const sipUri = optionalString(body, 'sipUri');
      const endpointId = optionalString(body, 'endpointId');
      const to = optionalString(body, 'to');
      if (!to || !(isDialTarget(to) || /^\+?\d{3,15}$/.test(to)))
        throw validationError('to must be a number or a sip: URI');
      const sip = sipUri === undefined ? undefined : parseSipUri(sipUri);
      if (sipUri !== undefined && !sip) throw validationError('sipUri must be a sip: URI');
      const endpoint = sip
        ? directory.findEndpoint(sip.user, sip.host)
        : endpointId !== undefined
          ? directory.getEndpoint?.(endpointId)
          : undefined;
      if (!sip && endpointId === undefined) throw validationError('Give sipUri or endpointId');
      if (!sip && !directory.getEndpoint)
        throw validationError('This sandbox cannot look endpoints up by id; give sipUri');
      if (!endpoint || (endpointId !== undefined && endpoint.id !== endpointId)) {
        throw notFound('resource-not-found', `No sandbox endpoint ${sipUri ?? endpointId}`);
      }
      const callId = await placing(() =>
        phones.callFromEndpoint(model, { sipUri: endpoint.sipUri, endpointId: endpoint.id, to }),
      );
      return { status: 201, body: { callId } };
    },
    open,
  );

  router.add(
    'GET',
    '/sandbox/calls',
    () => ({
      status: 200,
      body: model.list().map((call) => view(call)),
    }),
    open,
  );

  router.add(
    'GET',
    '/sandbox/calls/:callId',
    (request) => {
      const call = findCall(model, request);
      return { status: 200, body: view(call) };
    },
    open,
  );

  router.add(
    'POST',
    '/sandbox/calls/:callId/answer',
    async (request) => {
      const call = findCall(model, request);
      await asFarEnd(() => simulatedFarEnd(phones, call).answer());
      return { status: 200, body: view(call) };
    },
    open,
  );

  router.add(
    'POST',
    '/sandbox/calls/:callId/reject',
    async (request) => {
      const call = findCall(model, request);
      await asFarEnd(() => simulatedFarEnd(phones, call).reject());
      return { status: 200, body: view(call) };
    },
    open,
  );

  // The outside phone presses digits on leg {id}: Catapult hears them (its media, `dtmf` events). Out of band,
  // as a phone's RFC 4733 events would arrive.
  router.add(
    'POST',
    '/sandbox/calls/:callId/dtmf',
    (request) => {
      const call = findCall(model, request);
      const digits = optionalString(bodyObject(request.body), 'digits');
      if (digits === undefined || !/^[0-9*#A-D]{1,32}$/.test(digits))
        throw validationError('digits must be 1-32 of 0-9, *, #, A-D');
      if (call.state !== 'active') throw conflict('call-not-active', `Call ${call.id} is ${call.state}, not active`);
      media.dtmf(call, digits);
      return { status: 200, body: { callId: call.id, digits } };
    },
    open,
  );

  router.add(
    'POST',
    '/sandbox/calls/:callId/hangup',
    (request) => {
      const call = findCall(model, request);
      const farEnd = phones.farEnd(call.id);
      // A simulated far side hangs up itself; any other leg (SIP) is hung up by Catapult, which tells it.
      if (farEnd && farEnd.state !== 'ended') farEnd.hangUp();
      else if (!isEnded(call)) model.end(call, 'NORMAL_CLEARING');
      return { status: 200, body: view(call) };
    },
    open,
  );

  router.add('GET', '/sandbox/phone-network/numbers', () => ({ status: 200, body: phones.behaviours.list() }), open);

  router.add(
    'PUT',
    '/sandbox/phone-network/numbers/:address',
    (request) => {
      const address = phoneAddress(request);
      const settings = parsePhoneSettings(request.body);
      phones.behaviours.set(address, settings);
      return { status: 200, body: { address, ...settings } };
    },
    open,
  );

  router.add(
    'DELETE',
    '/sandbox/phone-network/numbers/:address',
    (request) => {
      phones.behaviours.reset(phoneAddress(request));
      return { status: 200 };
    },
    open,
  );

  router.add(
    'POST',
    '/sandbox/event-faults',
    (request) => {
      const { id } = eventFaults.add(parseEventFault(request.body));
      return { status: 201, body: { id } };
    },
    open,
  );
  router.add('GET', '/sandbox/event-faults', () => ({ status: 200, body: eventFaults.list() }), open);
  router.add(
    'DELETE',
    '/sandbox/event-faults',
    () => {
      eventFaults.clear();
      return { status: 200 };
    },
    open,
  );
}

function findCall(model: CallModel, request: SandboxRequest): CallRecord {
  const callId = request.params.callId!;
  const call = model.get(callId);
  if (!call) throw notFound('call-not-found', `The call '${callId}' could not be found`);
  return call;
}

function simulatedFarEnd(phones: PhoneNetwork, call: CallRecord) {
  const farEnd = phones.farEnd(call.id);
  if (!farEnd) throw conflict('not-simulated', `The far side of call ${call.id} is not a simulated phone or endpoint`);
  return farEnd;
}

async function asFarEnd(action: () => Promise<void> | void): Promise<void> {
  try {
    await action();
  } catch (error) {
    if (error instanceof FarEndStateError) throw conflict('far-end-invalid-state', error.message);
    throw error;
  }
}

/** CallRejected becomes a Catapult-shaped error carrying the SIP status the caller would see. */
async function placing(place: () => Promise<string>): Promise<string> {
  try {
    return await place();
  } catch (error) {
    if (!(error instanceof CallRejected)) throw error;
    const status = error.sipStatus === 404 ? 404 : 403;
    throw catapultError(status, status === 404 ? 'not-found' : 'authorization', 'call-rejected', error.message, [
      { name: 'sipStatus', value: String(error.sipStatus) },
    ]);
  }
}

function phoneAddress(request: SandboxRequest): string {
  const address = request.params.address!;
  if (!isE164(address) && !parseSipUri(address))
    throw validationError('The address must be an E.164 number or a sip: URI');
  return address;
}
