import { describe, expect, it } from 'vitest';
import { RECONNECT_LIMITS, reconnectOptionsSchema } from '../../../src-main/shared/model';
import { reconnectSchema } from '../../../src-main/shared/profiles';

describe('RECONNECT_LIMITS', () => {
  const profile = (fields: object) => reconnectSchema.safeParse({ enabled: true, ...fields }).success;
  const options = (fields: object) => reconnectOptionsSchema.safeParse(fields).success;

  it('bounds the connection option and a profile alike', () => {
    for (const accepts of [profile, options]) {
      expect(accepts({ maxAttempts: RECONNECT_LIMITS.maxAttempts })).toBe(true);
      expect(accepts({ maxAttempts: RECONNECT_LIMITS.maxAttempts + 1 })).toBe(false);
      expect(accepts({ initialDelayMs: RECONNECT_LIMITS.minDelayMs })).toBe(true);
      expect(accepts({ initialDelayMs: RECONNECT_LIMITS.minDelayMs - 1 })).toBe(false);
      expect(accepts({ initialDelayMs: RECONNECT_LIMITS.maxInitialDelayMs, maxDelayMs: RECONNECT_LIMITS.maxInitialDelayMs })).toBe(true);
      expect(accepts({ initialDelayMs: RECONNECT_LIMITS.maxInitialDelayMs + 1, maxDelayMs: RECONNECT_LIMITS.maxDelayMs })).toBe(false);
      expect(accepts({ maxDelayMs: RECONNECT_LIMITS.maxDelayMs })).toBe(true);
      expect(accepts({ maxDelayMs: RECONNECT_LIMITS.maxDelayMs + 1 })).toBe(false);
    }
  });
});
