// POST /api/me/calls/{callId}/decline: the signed-in user declines a call ringing for them (announced on the
// incoming-call channel). 204; `call-not-found` (404) when no call rings for them with this id.
import { app } from '@azure/functions';
import { NO_STORE, withVoiceApp } from './http';

export const meCallsDecline = withVoiceApp(async (request, _context, voiceApp) => {
  const user = await voiceApp.authenticate(request.headers.get('authorization') ?? undefined);
  await voiceApp.declineCall(user, request.params.callId ?? '');
  return { status: 204, headers: { ...NO_STORE } };
});

app.http('me-calls-decline', {
  methods: ['POST'],
  route: 'me/calls/{callId}/decline',
  authLevel: 'anonymous',
  handler: meCallsDecline,
});
