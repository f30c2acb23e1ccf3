import { vi } from 'vitest';

/**
 * Polls `probe` (vitest's vi.waitFor) until it gives a value other than undefined, and returns it;
 * fails naming `what` after `timeoutMs`. For a condition the test can observe, instead of a sleep.
 */
export function waitFor<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 20_000): Promise<T> {
  return vi.waitFor(
    async () => {
      const value = await probe();
      if (value === undefined) throw new Error(`timed out waiting for ${what}`);
      return value;
    },
    { timeout: timeoutMs, interval: 100 },
  );
}
