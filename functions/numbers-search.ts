// GET /api/numbers?areaCode=919 | ?zip=27513 | ?city=Cary&state=NC [&quantity=10]
// Only the shape is checked here (quantity is a whole number); which criteria combine is the core's rule.
import { app, type HttpRequest } from '@azure/functions';
import type { NumberSearchQuery } from '../core/api-types';
import { AppError } from '../core/errors';
import { jsonResponse, requestOrigin, withVoiceApp } from './http';

const TEXT_CRITERIA = ['areaCode', 'zip', 'city', 'state'] as const;

export const numbersSearch = withVoiceApp(async (request, _context, voiceApp) => {
  const result = await voiceApp.searchNumbers(parseSearchQuery(request), requestOrigin(request));
  return jsonResponse(200, result);
});

export function parseSearchQuery(request: HttpRequest): NumberSearchQuery {
  const query: NumberSearchQuery = {};
  for (const name of TEXT_CRITERIA) {
    const value = request.query.get(name);
    if (value !== null) query[name] = value;
  }
  const quantity = request.query.get('quantity');
  if (quantity !== null) {
    if (!/^\d{1,4}$/.test(quantity)) {
      throw new AppError('invalid-search', 'quantity must be a whole number.', 'quantity');
    }
    query.quantity = Number(quantity);
  }
  return query;
}

app.http('numbers-search', { methods: ['GET'], route: 'numbers', authLevel: 'anonymous', handler: numbersSearch });
