// Health: config, storage (a cheap point read) and the provider (a cheap authenticated GET), each with a
// timeout and its latency. Never throws: a failed check is reported with its error code.
import type { HealthCheck, HealthResponse, ProviderName } from '../api-types';
import { isAppError } from '../errors';

export interface HealthProbes {
  configProblem?: string; // set when the config is invalid; the other probes are then skipped
  storage?: () => Promise<unknown>;
  provider?: { name: ProviderName; label: string; probe: () => Promise<unknown> };
  /** The provider the settings select when the config is invalid (no probe then): health still names it. */
  providerName?: ProviderName;
  timeoutMs?: number;
}

export async function checkHealth(probes: HealthProbes): Promise<HealthResponse> {
  const timeoutMs = probes.timeoutMs ?? 5000;
  const config: HealthCheck = probes.configProblem
    ? { ok: false, code: 'config-invalid', message: probes.configProblem }
    : { ok: true };
  const skipped: HealthCheck = {
    ok: false,
    code: 'config-invalid',
    message: 'Not checked: the configuration is invalid.',
  };
  const name = probes.provider?.name ?? probes.providerName;
  const [storage, provider] = probes.configProblem
    ? [skipped, skipped]
    : await Promise.all([
        timed(probes.storage, 'storage-unavailable', 'Storage', timeoutMs),
        timed(
          probes.provider?.probe,
          'provider-unavailable',
          probes.provider?.label ?? 'The phone provider',
          timeoutMs,
        ),
      ]);
  const allOk = config.ok && storage.ok && provider.ok;
  return {
    status: allOk ? 'ok' : 'degraded',
    ...(name ? { provider: name } : {}),
    checks: { config, storage, provider },
  };
}

async function timed(
  probe: (() => Promise<unknown>) | undefined,
  code: string,
  what: string,
  timeoutMs: number,
): Promise<HealthCheck> {
  if (!probe) return { ok: false, code, message: `${what} is not configured.` };
  const started = Date.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      probe(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error('timeout')), timeoutMs);
      }),
    ]);
    return { ok: true, latencyMs: Date.now() - started };
  } catch (error) {
    const latencyMs = Date.now() - started;
    if (error instanceof Error && error.message === 'timeout')
      return { ok: false, code, message: `${what} did not answer within ${timeoutMs} ms.`, latencyMs };
    // Report the code only: messages of unknown errors could carry URLs or other details.
    return {
      ok: false,
      code: isAppError(error) ? error.code : code,
      message: isAppError(error) ? error.message : `${what} check failed.`,
      latencyMs,
    };
  } finally {
    clearTimeout(timer);
  }
}
