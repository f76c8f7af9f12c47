// One call of figure 4, as the browser run reports it.
export interface BrowserCallSample {
  /** "Call" clicked → the far end ringing. */
  ringingMs: number;
  /** The far end answered → the first audio packet at the caller. */
  audioMs: number;
}
