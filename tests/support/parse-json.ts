// Test clients keep a response's raw text and, when it is JSON, its value: error paths often answer
// something that is not JSON (an empty 200, an HTML 502), and the tests assert on that too.
export function parseJsonOrUndefined(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
