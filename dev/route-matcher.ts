// Compiles Functions route templates ("me/sip", "users/{id}", "files/{name?}", "n/{id:int}",
// "static/{*path}") into matchers. Path parameters are URL-decoded, as the host does (%2B → +).
// Route constraints other than int/alpha are accepted and not enforced (documented in dev/README.md).

export interface RouteMatcher {
  match(pathname: string): Record<string, string> | undefined;
}

export function compileRoute(prefix: string, template: string): RouteMatcher {
  const segments = [prefix, template]
    .join('/')
    .split('/')
    .filter((segment) => segment !== '');
  let source = '';
  const names: string[] = [];
  for (const segment of segments) {
    const parameter = /^\{(\*?)([A-Za-z_][A-Za-z0-9_]*)(?::([a-z]+))?(\?)?\}$/.exec(segment);
    if (!parameter) {
      source += `/${escape(segment)}`;
      continue;
    }
    const [, catchAll, name, constraint, optional] = parameter;
    names.push(name!);
    const value = catchAll ? '(.*)' : `(${constraintPattern(constraint)})`;
    source += optional || catchAll ? `(?:/${value})?` : `/${value}`;
  }
  const regexp = new RegExp(`^${source}/?$`, 'i');
  return {
    match(pathname) {
      const found = regexp.exec(pathname);
      if (!found) return undefined;
      const params: Record<string, string> = {};
      names.forEach((name, index) => {
        const raw = found[index + 1];
        if (raw !== undefined) params[name] = safeDecode(raw);
      });
      return params;
    },
  };
}

function constraintPattern(constraint: string | undefined): string {
  if (constraint === 'int') return '-?\\d+';
  if (constraint === 'alpha') return '[A-Za-z]+';
  return '[^/]+';
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function safeDecode(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}
