// End-to-end tests: the UI in Debian's Chromium against the web host (test/e2e). The web
// host, echo servers, Squid and fake proxies are started by the tests themselves.
import { defineConfig } from '@playwright/test';

export default defineConfig({
  testDir: 'test/e2e',
  // One browser at a time: the CI machine has 2 cores and the tests start Squid.
  workers: 1,
  fullyParallel: false,
  forbidOnly: Boolean(process.env.CI),
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: [['list']],
  // Playwright's own artifacts (failure screenshots, traces); the tests' state screenshots go
  // to test-results/screenshots/.
  outputDir: 'test-results/playwright',
  use: {
    browserName: 'chromium',
    headless: true,
    viewport: { width: 1280, height: 800 },
    screenshot: 'only-on-failure',
    // The trace of a failed test keeps its DOM snapshots, actions, console and network; without
    // its screencast film strip, which cost every passing test ~12 % of its CPU (3 specs, measured).
    trace: { mode: 'retain-on-failure', screenshots: false },
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
      ],
    },
  },
});
