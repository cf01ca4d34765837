// Polling for eventual consistency in tests: jobs, workers and the search index settle after the request returns.
// One helper instead of a copy per test file; each file picks its own patience with `untilWithin`.

type Check<T> = () => Promise<T | undefined | false | null> | T | undefined | false | null;

/** Calls `check` every `stepMs` until it returns something truthy (which is returned); throws after `timeoutMs`. */
export async function until<T>(check: Check<T>, timeoutMs = 60_000, stepMs = 100, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`${what} not reached within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, stepMs));
  }
}

/** `until` with a file's own defaults (slow engines wait longer, in-memory stores poll faster). */
export function untilWithin(defaultTimeoutMs: number, defaultStepMs = 100) {
  return <T>(check: Check<T>, timeoutMs = defaultTimeoutMs, stepMs = defaultStepMs): Promise<T> =>
    until(check, timeoutMs, stepMs);
}
