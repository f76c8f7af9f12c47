// GET /api/ops/outbound-breaker (function key): whether calls to phone numbers are stopped by the outbound-minutes
// breaker (OUTBOUND_MINUTES_PER_HOUR reached), since when, and this hour's minutes. `npm run doctor` shows it.
import { app } from '@azure/functions';
import { jsonResponse, NO_STORE, withVoiceApp } from './http';

export const outboundBreakerGet = withVoiceApp(async (_request, _context, voiceApp) =>
  jsonResponse(200, await voiceApp.outboundBreaker({ lift: false }), NO_STORE),
);

// authLevel 'function': the app's spending is the operator's business.
app.http('outbound-breaker-get', {
  methods: ['GET'],
  route: 'ops/outbound-breaker',
  authLevel: 'function',
  handler: outboundBreakerGet,
});
