import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Generous: on a busy 2-core machine a test that spawns the CLI or a worker can wait many
    // seconds for a core. A test asserts what happened, never how long it took.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // The CI machine has 2 cores and some network tests start Squid: keep the pool small.
    maxWorkers: 2,
    projects: [
      {
        test: {
          name: 'node',
          include: ['test/unit/**/*.test.ts', 'test/net/**/*.test.ts'],
          environment: 'node',
          // Builds the CLI and the web host once for the run's spawns (~0.4 s of CPU a spawn
          // instead of ~1.7 s through tsx); see the file.
          globalSetup: ['test/support/build-node-entries.global.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        plugins: [vue()],
        test: {
          name: 'renderer',
          include: ['test/renderer/**/*.test.ts'],
          environment: 'happy-dom',
          testTimeout: 60_000,
        },
      },
    ],
  },
});
