// A port `npm start` could not listen on, named by the variable that moves it: Node's EADDRINUSE says only
// "address already in use 127.0.0.1:7071", which leaves a person to guess which of the five servers that was.
/** The ports `npm start` listens on, by the environment variable that sets each. */
export type PortSettings = Record<string, number>;

/** A clearer error when `error` is a busy port of `ports` (listen's EADDRINUSE, or Azurite's own report). */
export function explainBusyPort(error: unknown, ports: PortSettings): unknown {
  if (!(error instanceof Error)) return error;
  const code = (error as NodeJS.ErrnoException).code;
  const port = (error as { port?: unknown }).port;
  // Azurite runs as a child process: its EADDRINUSE reaches us only as text naming host:port.
  const busy =
    code === 'EADDRINUSE' && typeof port === 'number'
      ? port
      : /EADDRINUSE/.test(error.message)
        ? Number(/:(\d+)\b/.exec(error.message)?.[1])
        : undefined;
  if (busy === undefined || !Number.isInteger(busy) || busy === 0) return error;
  const variable = Object.entries(ports).find(([, value]) => value === busy)?.[0];
  if (!variable) return error;
  return new Error(
    `port ${busy} is already in use (${variable}): stop what is using it, or set ${variable} to another port ` +
      `(${variable}=0 picks a free one).`,
    { cause: error },
  );
}
