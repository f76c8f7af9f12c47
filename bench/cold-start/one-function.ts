// The floor of figure 2: the smallest real @azure/functions app, one HTTP function.
import { app } from '@azure/functions';

app.http('health-get', {
  methods: ['GET'],
  route: 'health',
  authLevel: 'anonymous',
  handler: async () => ({ status: 200, jsonBody: { ok: true } }),
});
