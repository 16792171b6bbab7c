import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts', 'test/net/**/*.test.ts'],
    environment: 'node',
    testTimeout: 20_000,
    hookTimeout: 60_000,
    // Network tests start servers on port 0; running files in parallel is fine, but keep the
    // pool small: the CI machine has 2 cores and some tests start Squid.
    maxWorkers: 2,
  },
});
