// Requests held by a `hold` fault until the test releases them: how a test stops the client between two of its
// steps, at a moment it chooses, and does something else (a retry, a crash, a second instance) right then.
// 'before': held before it is served, so nothing has happened yet; 'after': served, its answer held, so the
// change is made but the client does not know it yet.
import { newId } from '../model/ids';

export type HoldStage = 'before' | 'after';

export interface HeldRequest {
  id: string;
  faultId: string;
  method: string;
  path: string;
  stage: HoldStage;
  since: string;
}

export class Holds {
  private readonly held = new Map<string, { request: HeldRequest; resume: (released: boolean) => void }>();
  private closed = false;

  /** Resolves true when released, false when the sandbox closes first (the caller then drops the socket). */
  hold(request: Omit<HeldRequest, 'id' | 'since'>): Promise<boolean> {
    if (this.closed) return Promise.resolve(false);
    const id = newId('h');
    return new Promise((resume) => {
      this.held.set(id, {
        request: { ...request, id, since: new Date().toISOString() },
        resume: (released) => {
          this.held.delete(id);
          resume(released);
        },
      });
    });
  }

  list(): HeldRequest[] {
    return [...this.held.values()].map(({ request }) => ({ ...request }));
  }

  /** Lets held requests go on, oldest first: all of them, or those of one fault. Returns how many. */
  release(faultId?: string): number {
    const chosen = [...this.held.values()].filter(
      ({ request }) => faultId === undefined || request.faultId === faultId,
    );
    for (const { resume } of chosen) resume(true);
    return chosen.length;
  }

  cancelAll(): void {
    this.closed = true;
    for (const { resume } of [...this.held.values()]) resume(false);
  }
}
