// Catapult REST for calls: /v1/users/{userId}/calls (docs/contracts/catapult-v1.md §11, §14).
import type { SandboxContext, SandboxRequest } from '../context';
import { forbidden, notFound } from '../errors';
import { paginate } from '../rest/paginate';
import { validationError } from '../rest/validation';
import type { CallMedia } from './call-media';
import type { CallModel } from './call-model';
import { isEnded, type CallRecord } from './call-record';
import { parseCallUpdate, parseCreateCall } from './call-requests';
import { callPath, catapultCallView } from './call-view';
import { parseRecordingUpdate } from './media-routes';

export function mountCallRoutes(ctx: SandboxContext, model: CallModel, media: CallMedia): void {
  const { router, directory, baseUrl } = ctx;
  const family = { family: 'calls' };

  router.add(
    'POST',
    '/v1/users/:userId/calls',
    (request) => {
      const call = model.createOutbound(parseCreateCall(request.body, userIdOf(request), directory));
      return { status: 201, headers: { Location: callPath(call.userId, call.id) } };
    },
    family,
  );

  router.add(
    'GET',
    '/v1/users/:userId/calls',
    (request) => {
      const query = request.query;
      const sortOrder = query.get('sortOrder') ?? 'asc';
      if (sortOrder !== 'asc' && sortOrder !== 'desc') throw validationError('sortOrder must be asc or desc');
      // The sandbox has no bridges or conferences, so those filters match nothing.
      const noMatch = query.has('bridgeId') || query.has('conferenceId');
      const calls = noMatch
        ? []
        : model
            .list()
            .filter((call) => call.userId === userIdOf(request))
            .filter((call) => !query.has('from') || call.from === query.get('from'))
            .filter((call) => !query.has('to') || call.to === query.get('to'));
      if (sortOrder === 'desc') calls.reverse();
      return paginate(
        calls.map((call) => catapultCallView(call, baseUrl)),
        request,
      );
    },
    family,
  );

  router.add(
    'GET',
    '/v1/users/:userId/calls/:callId',
    (request) => ({
      status: 200,
      body: catapultCallView(findCall(model, request), baseUrl),
    }),
    family,
  );

  // Catapult's per-call event log resource, derived from the leg's timeline.
  router.add(
    'GET',
    '/v1/users/:userId/calls/:callId/events',
    (request) => {
      const call = findCall(model, request);
      return { status: 200, body: timeline(call) };
    },
    family,
  );

  router.add(
    'POST',
    '/v1/users/:userId/calls/:callId',
    (request) => {
      const call = findCall(model, request);
      const update = parseCallUpdate(request.body, call, directory);
      const recording = parseRecordingUpdate(request.body);
      switch (update.action) {
        case 'none':
          // recordingEnabled on an active call starts or stops a recording (calls/call-media.ts).
          if (recording) {
            if (call.state !== 'active') throw invalidState(call);
            media.setRecording(call, recording.enabled, recording.maxDurationS);
          }
          return { status: 200 };
        case 'answer':
          if (call.state === 'active') return { status: 200 };
          if (call.state !== 'started' || call.direction !== 'in') throw invalidState(call);
          model.answer(call);
          return { status: 200 };
        case 'reject':
          if (call.state !== 'started' || call.direction !== 'in') throw invalidState(call);
          model.end(call, 'CALL_REJECTED', 'rejected');
          return { status: 200 };
        case 'hang-up':
          // Hanging up a call that is already over changes nothing.
          if (!isEnded(call)) {
            model.end(
              call,
              call.direction === 'out' && call.activeTime === undefined ? 'ORIGINATOR_CANCEL' : 'NORMAL_CLEARING',
            );
          }
          return { status: 200 };
        case 'transfer': {
          // Only an active leg that is not already bridged can be transferred (catapult-v1.md §11.3).
          if (call.state !== 'active' || call.bridgedCallId !== undefined) throw invalidState(call);
          const leg = model.transfer(call, update.leg);
          return { status: 201, headers: { Location: callPath(leg.userId, leg.id) } };
        }
      }
    },
    family,
  );
}

function userIdOf(request: SandboxRequest): string {
  return request.params.userId!;
}

function findCall(model: CallModel, request: SandboxRequest): CallRecord {
  const callId = request.params.callId!;
  const call = model.get(callId);
  if (!call || call.userId !== userIdOf(request))
    throw notFound('call-not-found', `The call '${callId}' could not be found`);
  return call;
}

function invalidState(call: CallRecord) {
  const state = call.state === 'active' && call.bridgedCallId ? 'active (bridged)' : call.state;
  return forbidden('call-invalid-state', `Unable to update call ${call.id}. Invalid call state ${state}`);
}

function timeline(call: CallRecord): Array<{ id: string; time: string; name: string }> {
  const items: Array<{ time?: number; name: string }> = [
    { time: call.startTime, name: 'create' },
    { time: call.activeTime, name: 'answer' },
    { time: call.endTime, name: call.state === 'rejected' ? 'reject' : 'hangup' },
  ];
  return items
    .filter((item): item is { time: number; name: string } => item.time !== undefined)
    .map((item, index) => ({
      id: `ev-${call.id.slice(2)}${index}`,
      time: new Date(item.time).toISOString(),
      name: item.name,
    }));
}
