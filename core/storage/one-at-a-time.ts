// Runs the work given for one key one after another inside this instance. Changes to one Table Storage partition
// are guarded by ETags, so racers on one instance would only make each other retry: a burst of copies of one
// request (a client retrying a sign-up many times at once) then costs a retry storm instead of a queue. Other
// instances still race, and the ETag retries still settle that.
export class OneAtATime {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(work, work);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(key, tail);
    // The last one out leaves no entry behind (the map holds only keys with work queued).
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }

  /** Keys with work queued or running (for tests). */
  get size(): number {
    return this.tails.size;
  }
}
