// POST /api/me/webrtc-token: a short-lived Catapult endpoint token for the dialpad's SIP registration.
import { app } from '@azure/functions';
import { jsonResponse, NO_STORE, withVoiceApp } from './http';

export const meWebrtcTokenCreate = withVoiceApp(async (request, _context, voiceApp) => {
  const user = await voiceApp.authenticate(request.headers.get('authorization') ?? undefined);
  return jsonResponse(200, await voiceApp.createWebRtcToken(user), NO_STORE);
});

app.http('me-webrtc-token-create', {
  methods: ['POST'],
  route: 'me/webrtc-token',
  authLevel: 'anonymous',
  handler: meWebrtcTokenCreate,
});
