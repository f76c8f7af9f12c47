// GET /api/ops/doctor (function key): how the app's records and the provider differ — users whose number or
// endpoint is missing or points elsewhere, numbers and endpoints that belong to nobody, abandoned sign-ups —
// without changing anything. `npm run doctor` calls it. 200 either way; `nothingToRepair` says which.
import { app } from '@azure/functions';
import { jsonResponse, NO_STORE, withVoiceApp } from './http';

export const doctorGet = withVoiceApp(async (_request, _context, voiceApp) =>
  jsonResponse(200, await voiceApp.doctor({ repair: false }), NO_STORE),
);

// authLevel 'function': the report names users and the provider's ids, so only an operator holding a key may read it.
app.http('doctor-get', { methods: ['GET'], route: 'ops/doctor', authLevel: 'function', handler: doctorGet });
