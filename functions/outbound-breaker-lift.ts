// POST /api/ops/outbound-breaker/lift (function key): lets calls to phone numbers through again after the
// outbound-minutes breaker opened, and starts this hour's count over. `npm run doctor -- --lift-breaker` calls it.
import { app } from '@azure/functions';
import { jsonResponse, NO_STORE, withVoiceApp } from './http';

export const outboundBreakerLift = withVoiceApp(async (_request, _context, voiceApp) =>
  jsonResponse(200, await voiceApp.outboundBreaker({ lift: true }), NO_STORE),
);

// authLevel 'function': lifting lets spending go on; only an operator holding a key may do it.
app.http('outbound-breaker-lift', {
  methods: ['POST'],
  route: 'ops/outbound-breaker/lift',
  authLevel: 'function',
  handler: outboundBreakerLift,
});
