// Armed faults, consumed in the order they were added: the first one matching a request takes it.
import { newId } from '../model/ids';
import type { FaultSpec } from './fault-spec';

export interface Fault extends FaultSpec {
  id: string;
  remaining: number;
  hits: number;
}

export interface FaultTarget {
  method: string;
  path: string; // raw request path
  decodedPath: string;
  family?: string; // family of the matched route, when a route matched
}

export class FaultRegistry {
  private faults: Fault[] = [];

  add(spec: FaultSpec): Fault {
    const fault: Fault = { ...spec, id: newId('f'), remaining: spec.count, hits: 0 };
    this.faults.push(fault);
    return fault;
  }

  /** Faults that still have requests to shape. */
  list(): Fault[] {
    return this.faults.map((fault) => ({ ...fault }));
  }

  clear(): void {
    this.faults = [];
  }

  /** Consumes one use of the first matching fault. */
  take(target: FaultTarget): Fault | undefined {
    const fault = this.faults.find((candidate) => faultMatches(candidate, target));
    if (!fault) return undefined;
    fault.remaining -= 1;
    fault.hits += 1;
    if (fault.remaining <= 0) this.faults = this.faults.filter((candidate) => candidate !== fault);
    return { ...fault };
  }
}

export function faultMatches(fault: FaultSpec, target: FaultTarget): boolean {
  if (fault.method !== undefined && fault.method !== target.method.toUpperCase()) return false;
  if (fault.family !== undefined && fault.family !== target.family) return false;
  if (
    fault.path !== undefined &&
    !pathMatches(fault.path, target.path) &&
    !pathMatches(fault.path, target.decodedPath)
  ) {
    return false;
  }
  return true;
}

/** Exact match, or prefix match when the pattern ends with '*'. */
export function pathMatches(pattern: string, path: string): boolean {
  return pattern.endsWith('*') ? path.startsWith(pattern.slice(0, -1)) : pattern === path;
}
