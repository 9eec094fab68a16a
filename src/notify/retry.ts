/** Retry with exponential backoff, shared by the notifier's channels and the job scheduler. */
import { setTimeout as wait } from 'node:timers/promises';

export interface RetryPolicy {
  /** Tries in all, the first included. */
  attempts: number;
  /** Wait before the second try; each later wait doubles it (0.5 s, 1 s, 2 s, ...). */
  baseDelayMs: number;
}

/** Resolves after `ms`; rejects early (AbortError) when `signal` aborts. Injectable so tests need not wait. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

export const realSleep: Sleep = async (ms, signal) => {
  await wait(ms, undefined, { signal });
};

/** The wait after failed attempt number `attempt` (1-based). */
export function backoffDelayMs(policy: RetryPolicy, attempt: number): number {
  return policy.baseDelayMs * 2 ** (attempt - 1);
}

/** Runs `action` until it succeeds or `policy.attempts` tries have failed; rethrows the last error. */
export async function withRetry<T>(
  policy: RetryPolicy,
  action: (attempt: number) => Promise<T>,
  options: { sleep?: Sleep; onFailure?: (error: unknown, attempt: number) => void } = {},
): Promise<T> {
  const sleep = options.sleep ?? realSleep;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await action(attempt);
    } catch (error) {
      options.onFailure?.(error, attempt);
      if (attempt >= policy.attempts) throw error;
      await sleep(backoffDelayMs(policy, attempt));
    }
  }
}

/** One line naming what went wrong, with the underlying cause (fetch hides ECONNREFUSED in `cause`). */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? error.cause.message : undefined;
  return cause && !error.message.includes(cause) ? `${error.message} (${cause})` : error.message;
}
