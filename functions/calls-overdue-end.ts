// Every minute: hangs up calls past their longest length (MAX_CALL_SECONDS). Neither provider takes a cap on a
// call's length, so the app ends such calls itself; webhooks and signed-in requests also start this check, but an
// idle app receives neither while a long call goes on, and the cap must hold then too.
import { app, type InvocationContext, type Timer } from '@azure/functions';
import type { VoiceApp } from '../core/voice-app';
import { getVoiceApp, runWithInvocation } from './index';

/** NCRONTAB (seconds first): at second 0 of every minute. */
export const CALLS_OVERDUE_END_SCHEDULE = '0 * * * * *';

export async function callsOverdueEnd(_timer: Timer, context: InvocationContext, injected?: VoiceApp): Promise<void> {
  await runWithInvocation(context, async () => {
    try {
      const ended = await (injected ?? getVoiceApp()).endOverdueCalls();
      if (ended > 0) context.log(`ended ${ended} call(s) past their longest length`);
    } catch (error) {
      // Storage or the provider failed: the run counts as failed (so monitoring sees it); the next minute retries.
      context.warn(`overdue call check failed: ${(error as { code?: string }).code ?? String(error)}`);
      throw error;
    }
  });
}

app.timer('calls-overdue-end', { schedule: CALLS_OVERDUE_END_SCHEDULE, handler: callsOverdueEnd });
