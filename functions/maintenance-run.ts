// Timer: every 5 minutes, and once when the app (an instance) starts, the app looks after itself
// (VoiceApp.runMaintenance): sign-ups a crash or a stopped instance cut short are finished or released, and what
// the provider lost (the application, the domain, users' endpoints) is re-created — even when no request arrives.
// One instance runs it at a time (a lease in storage), whichever instance a schedule or a start-up fired it on,
// so runOnStartup on every scale-out costs one table write when another instance holds the lease.
import { app, type InvocationContext, type Timer } from '@azure/functions';
import type { VoiceApp } from '../core/voice-app';
import { getVoiceApp, runWithInvocation } from './index';

/** Every 5 minutes on the minute (NCRONTAB, UTC). */
export const MAINTENANCE_SCHEDULE = '0 */5 * * * *';

export async function maintenanceRun(_timer: Timer, context: InvocationContext, voiceApp?: VoiceApp): Promise<void> {
  await runWithInvocation(context, async () => {
    const report = await (voiceApp ?? getVoiceApp()).runMaintenance();
    if (!report) {
      context.log('maintenance: another instance is running it');
      return;
    }
    const failed = report.repairs?.filter((repair) => !repair.ok) ?? [];
    const summary = {
      repaired: (report.repairs?.length ?? 0) - failed.length,
      failed: failed.map((repair) => repair.code),
      remaining: report.problems.map((problem) => problem.code),
    };
    if (failed.length > 0) context.warn('maintenance: some repairs failed', summary);
    else context.log('maintenance done', summary);
  });
}

// runOnStartup: what a crash left behind is found when the app next starts, not up to 5 minutes later.
app.timer('maintenance-run', { schedule: MAINTENANCE_SCHEDULE, runOnStartup: true, handler: maintenanceRun });
