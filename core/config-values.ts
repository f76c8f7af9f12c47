// Checks of single setting values (URLs, connection strings), shared by the config loader.

export function isLoopbackHost(hostname: string): boolean {
  return (
    hostname === 'localhost' ||
    hostname === '127.0.0.1' ||
    hostname === '[::1]' ||
    /^127\.\d+\.\d+\.\d+$/.test(hostname)
  );
}

/** The URL without a trailing slash, or undefined after reporting why it is not acceptable. */
export function checkUrl(
  value: string | undefined,
  setting: string,
  protocols: [secure: string, insecure: string],
  problem: (setting: string, message: string) => void,
): string | undefined {
  if (value === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    problem(setting, 'is not a valid URL.');
    return undefined;
  }
  const [secure, insecure] = protocols;
  if (url.protocol !== secure && !(url.protocol === insecure && isLoopbackHost(url.hostname))) {
    problem(setting, `must use ${secure}// (${insecure}// is allowed only for localhost/127.0.0.1).`);
    return undefined;
  }
  if (url.username || url.password || url.search || url.hash) {
    problem(setting, 'must not contain credentials, a query string or a fragment.');
    return undefined;
  }
  return url.toString().replace(/\/+$/, '');
}

function connectionStringParts(value: string): Map<string, string> {
  const parts = new Map<string, string>();
  for (const part of value.split(';')) {
    const index = part.indexOf('=');
    if (index > 0) parts.set(part.slice(0, index).trim().toLowerCase(), part.slice(index + 1).trim());
  }
  return parts;
}

export function isStorageConnectionString(value: string): boolean {
  if (/^UseDevelopmentStorage=true;?$/i.test(value)) return true;
  const parts = connectionStringParts(value);
  const hasKey = (parts.get('accountname') && parts.get('accountkey')) || parts.get('sharedaccesssignature');
  const hasEndpoint = parts.get('tableendpoint') || parts.get('accountname');
  return Boolean(hasKey && hasEndpoint);
}

/**
 * Azure Web PubSub's "Endpoint=https://x.webpubsub.azure.com;AccessKey=…;Version=1.0;" (an optional Port=
 * moves the endpoint's port, as Azure's own SDK reads it). https only, except on loopback.
 */
export function parseWebPubSubConnectionString(value: string): { endpoint: string; accessKey: string } | undefined {
  const parts = connectionStringParts(value);
  const rawEndpoint = parts.get('endpoint');
  const accessKey = parts.get('accesskey');
  if (!rawEndpoint || !accessKey) return undefined;
  let url: URL;
  try {
    url = new URL(rawEndpoint);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackHost(url.hostname))) return undefined;
  if (url.username || url.password || url.search || url.hash || url.pathname.replace(/\/+$/, '') !== '')
    return undefined;
  const port = parts.get('port');
  if (port !== undefined) {
    if (!/^\d{1,5}$/.test(port)) return undefined;
    url.port = port;
  }
  return { endpoint: url.origin, accessKey };
}
