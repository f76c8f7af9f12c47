// The logging surface the Catapult client needs. It is structurally the same as the app's Logger
// (core/log.ts), so either can be passed; the client never depends on a concrete logger.
// Fields must never carry secrets: the client only logs method, path, status, attempt, duration and code.

export type LogFields = Record<string, string | number | boolean | undefined>;

export interface Logger {
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

export const silentLogger: Logger = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
