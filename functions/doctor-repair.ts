// POST /api/ops/doctor/repair (function key): fixes everything the doctor can — re-creates the application and
// domain, moves users' numbers to the application, re-creates missing endpoints with the stored passwords,
// releases numbers and endpoints that belong to nobody — and answers the report of what is left, with each fix
// tried. `npm run doctor -- --repair` calls it.
import { app } from '@azure/functions';
import { jsonResponse, NO_STORE, withVoiceApp } from './http';

export const doctorRepair = withVoiceApp(async (_request, _context, voiceApp) =>
  jsonResponse(200, await voiceApp.doctor({ repair: true }), NO_STORE),
);

// authLevel 'function': a repair releases numbers and endpoints; only an operator holding a key may start one.
app.http('doctor-repair', {
  methods: ['POST'],
  route: 'ops/doctor/repair',
  authLevel: 'function',
  handler: doctorRepair,
});
