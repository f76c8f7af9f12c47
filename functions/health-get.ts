// GET /api/health: config, storage and Catapult checks. 200 when all are ok, 503 otherwise (same body),
// so load balancers and the deploy smoke test can use the status alone.
import { app } from '@azure/functions';
import { jsonResponse, NO_STORE, withVoiceApp } from './http';

export const healthGet = withVoiceApp(async (_request, _context, voiceApp) => {
  const health = await voiceApp.health();
  return jsonResponse(health.status === 'ok' ? 200 : 503, health, NO_STORE);
});

app.http('health-get', { methods: ['GET'], route: 'health', authLevel: 'anonymous', handler: healthGet });
