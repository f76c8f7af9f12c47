// The provider-free call handler against a scripted provider: the test hands over app events, the provider
// records the actions it is asked for and answers recordings from a map. Shared by the routing and voicemail tests.
import type { CallRecordView } from '../../../../core/api-types';
import { AppError } from '../../../../core/errors';
import { noopLogger } from '../../../../core/log';
import type { AppEvent, CallAction, CallerIdentity, CarriedOut } from '../../../../core/provider/app-events';
import type { ProviderCalls, ProviderWebhooks } from '../../../../core/provider/voice-provider';
import { CallEventHandler } from '../../../../core/routing/call-event-handler';
import { createMemoryTables, storesFromTables } from '../../../../core/storage/stores';
import { MemoryAudioBlobs } from '../../../../core/voicemail/memory-audio-blobs';
import { VoicemailStore } from '../../../../core/voicemail/voicemail-store';
import { itemAt } from '../../../support/list-items';
import { seedUsers } from './seed-users';

export const PSTN = '+13233326955';
export const ALICE = '+19195551001';
export const BOB = '+19195551002';

/**
 * `voicemail`: the app takes messages, and the provider's recordings are these (ref → file, or a fault);
 * `greetingLink`: every user's greeting link (or the fault finding it).
 */
export async function setupCallHandler(
  options: { voicemail?: Map<string, Buffer | Error>; greetingLink?: string | Error } = {},
) {
  const tables = createMemoryTables();
  const stores = storesFromTables(tables);
  const voicemails = new VoicemailStore(tables.voicemails, new MemoryAudioBlobs(), noopLogger);
  const greetingLink = async (): Promise<string | undefined> => {
    if (options.greetingLink instanceof Error) throw options.greetingLink;
    return options.greetingLink;
  };
  await seedUsers(stores, [
    ['alice', ALICE],
    ['bob', BOB],
  ]);
  const clock = { now: Date.parse('2026-11-26T10:00:00Z') };
  const actions: CallAction[] = [];
  const ended: string[] = [];
  const diverted: string[] = [];
  let next: Partial<CarriedOut> = {};
  const webhooks: ProviderWebhooks = {
    // The test hands over the app event itself, behind the credential check every provider makes first.
    async read(incoming) {
      if (incoming.authorization !== 'ok') throw new AppError('webhook-unauthorized', 'No credentials.');
      return incoming.body as AppEvent;
    },
  };
  const calls: ProviderCalls = {
    async carryOut(action) {
      actions.push(action);
      const done = { reply: { contentType: 'application/xml' as const, body: `<${action.kind}/>` }, ...next };
      next = {};
      return done;
    },
    async end(callId) {
      ended.push(callId);
    },
    async divertToVoicemail(callId) {
      diverted.push(callId);
      return true;
    },
    async fetchRecording(_callId, recordingRef) {
      const recording = options.voicemail?.get(recordingRef);
      if (!recording) throw new AppError('not-found', 'No such recording.');
      if (recording instanceof Error) throw recording;
      return { audio: recording, contentType: 'audio/wav' };
    },
  };
  const handler = new CallEventHandler({
    provider: { webhooks, calls },
    users: stores.users,
    calls: stores.calls,
    allowedCountries: ['US', 'CA'],
    logger: noopLogger,
    now: () => clock.now,
    ...(options.voicemail ? { voicemail: { store: voicemails, greetingLink } } : {}),
  });
  const send = (event: AppEvent) => handler.handle({ route: 'bandwidth', authorization: 'ok', query: {}, body: event });
  const history = async (username: string, callId: string): Promise<CallRecordView | undefined> =>
    (await stores.calls.list(username)).find((c) => c.callId === callId);
  const lastAction = () => itemAt(actions, -1, 'action');
  const willCarryOut = (outcome: Partial<CarriedOut>) => (next = outcome);
  return { handler, send, history, actions, lastAction, ended, diverted, clock, willCarryOut, voicemails };
}

export const arrived = (callId: string, from: string, to: string, caller?: CallerIdentity): AppEvent => ({
  kind: 'call-arrived',
  callId,
  from,
  to,
  ...(caller ? { caller } : {}),
});
