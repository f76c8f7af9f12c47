// The audit trail: who logged in, from where and how, every passkey use, SIP password reveals and rotations,
// session ends; each with the outcome. One log line per event, "audit " + a JSON object, so that Application
// Insights can query it (docs/security.md "Audit trail" has the KQL): the Functions host keeps a line's text as
// the trace's message, and structured fields passed beside it would arrive only as formatted text.
// Never a secret: the event shape below has no field for one, and values are ids, names and codes only.
import { isAppError } from '../errors';
import type { Logger } from '../log';
import type { RequestOrigin } from './account-api';
import { deviceName } from './device-name';

export type AuditEventName =
  | 'login' // a session started (method: username, passkey, signup)
  | 'passkey-registered'
  | 'passkey-removed'
  | 'step-up' // a passkey confirmed the owner is present
  | 'session-ended' // one session (log-out or from the list)
  | 'sessions-ended' // "log out everywhere"
  | 'sip-password-revealed'
  | 'sip-password-rotated';

/** success; refused (the request was wrong or not allowed: `reason` is its error code); error (a dependency failed). */
export type AuditOutcome = 'success' | 'refused' | 'error';

export interface AuditEvent {
  event: AuditEventName;
  /** The account, when known (a failed passkey log-in may not name one). */
  user?: string;
  outcome: AuditOutcome;
  /** The error code of a refusal or failure. */
  reason?: string;
  method?: 'username' | 'passkey' | 'signup';
  sessionId?: string;
  /** How many sessions an event ended. */
  count?: number;
  /** A passkey's credential id (public: browsers send it in the clear). */
  passkeyId?: string;
  clientAddress: string;
  device: string;
}

export const AUDIT_PREFIX = 'audit ';

export type AuditDetails = Omit<AuditEvent, 'outcome' | 'reason' | 'clientAddress' | 'device'>;

export class AuditTrail {
  constructor(private readonly logger: Logger) {}

  record(details: AuditDetails, origin: RequestOrigin | undefined, outcome: AuditOutcome, reason?: string): void {
    const event: AuditEvent = {
      ...details,
      outcome,
      ...(reason ? { reason } : {}),
      clientAddress: origin?.clientAddress ?? 'unknown',
      device: deviceName(origin?.userAgent),
    };
    const line = AUDIT_PREFIX + JSON.stringify(event);
    if (outcome === 'success') this.logger.info(line);
    else this.logger.warn(line);
  }

  /**
   * Runs `work` and records its outcome: success (with what `more` adds from the result), refused (an AppError a
   * client caused, 4xx) or error (5xx, or anything else). The error is rethrown unchanged.
   */
  async around<T>(
    details: AuditDetails,
    origin: RequestOrigin | undefined,
    work: () => Promise<T>,
    more: (result: T) => Partial<AuditDetails> = () => ({}),
  ): Promise<T> {
    let result: T;
    try {
      result = await work();
    } catch (error) {
      const refused = isAppError(error) && error.status < 500;
      this.record(details, origin, refused ? 'refused' : 'error', isAppError(error) ? error.code : 'internal-error');
      throw error;
    }
    this.record({ ...details, ...more(result) }, origin, 'success');
    return result;
  }
}
