// The logger the core and the Catapult client write to. Entry points adapt their own sink
// (Azure Functions' InvocationContext, the console in dev) so library code never touches `console`.
// Fields carry ids and error codes; never put secrets, tokens, passwords or connection strings in them.

export type LogFields = Record<string, unknown>;

export interface Logger {
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

/** A logger that drops everything: the default when the caller gives none (tests, library use). */
export const noopLogger: Logger = Object.freeze({
  info() {},
  warn() {},
  error() {},
});
