// Route patterns like '/v1/users/:userId/phoneNumbers/:numberId'. Parameters are URL-decoded
// (`%2B19195551212` → `+19195551212`) because Catapult addresses a number by its encoded E.164 form.
import { badRequest } from '../errors';

export interface RoutePattern {
  readonly source: string;
  readonly segments: readonly string[];
  /** More literal segments = more specific; used to pick between overlapping patterns. */
  readonly literalCount: number;
}

export function compilePattern(pattern: string): RoutePattern {
  if (!pattern.startsWith('/')) throw new Error(`route pattern must start with '/': ${pattern}`);
  const segments = splitPath(pattern);
  for (const segment of segments) {
    if (segment === ':' || (segment.startsWith(':') && !/^:[A-Za-z_][A-Za-z0-9_]*$/.test(segment))) {
      throw new Error(`bad route parameter '${segment}' in ${pattern}`);
    }
  }
  return { source: pattern, segments, literalCount: segments.filter((s) => !s.startsWith(':')).length };
}

/** Path segments without empty ones, so a trailing slash is tolerated. Segments stay raw (still encoded). */
export function splitPath(path: string): string[] {
  return path.split('/').filter((segment) => segment.length > 0);
}

/** Params when `rawSegments` fits `pattern`, else undefined. Throws 400 on malformed percent-encoding. */
export function matchPattern(
  pattern: RoutePattern,
  rawSegments: readonly string[],
): Record<string, string> | undefined {
  if (pattern.segments.length !== rawSegments.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < rawSegments.length; i += 1) {
    const expected = pattern.segments[i]!;
    const actual = rawSegments[i]!;
    if (expected.startsWith(':')) {
      params[expected.slice(1)] = decodeSegment(actual);
    } else if (expected !== actual) {
      return undefined;
    }
  }
  return params;
}

function decodeSegment(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw badRequest('invalid-path', `The path segment '${raw}' is not valid percent-encoding`);
  }
}
