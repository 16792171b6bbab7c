/**
 * The desktop app itself, through Playwright's Electron support: the built app (out/) opens
 * its locked-down window on app://tunnelscope, connects to a local echo server, sends and
 * sees the frames. Runs wherever the Electron runtime is installed; elsewhere it is reported
 * as skipped with the reason (the web-host spec covers the same UI in Chromium).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { _electron as electron, expect, test, type ElectronApplication, type Page } from '@playwright/test';
import { electronPackageDir, findElectronRuntime } from '../../scripts/electron-runtime.mjs';
import { startEchoServer, type EchoServer } from '../support/echo-server';
import { connect, frames, saveScreenshot, sendAndSeeEcho, stateOf } from './support/inspector';
import { repoRoot } from './support/web-host-process';

const runtime = findElectronRuntime();
const noDisplay = process.platform === 'linux' && !process.env['DISPLAY'] && !process.env['WAYLAND_DISPLAY'];
const PROXY_VARIABLES = ['http_proxy', 'https_proxy', 'all_proxy', 'no_proxy', 'ws_proxy', 'wss_proxy'];

const missingRuntime =
  `Electron runtime not installed: no executable under ${path.join(electronPackageDir, 'dist')}. ` +
  "Install it with `npx install-electron` on a network that reaches Electron's download host; " +
  'the web-host end-to-end tests cover the same UI in Chromium meanwhile.';
test.skip(runtime === null, missingRuntime);
// The list reporter does not print skip reasons: say it once, when the runner loads this file.
if (runtime === null && process.env['TEST_WORKER_INDEX'] === undefined) console.warn(`electron.spec.ts: SKIPPED. ${missingRuntime}`);
test.skip(noDisplay, 'No display for the Electron window: run the end-to-end tests under `xvfb-run` on a headless Linux machine.');

test.describe.configure({ mode: 'serial' });

let app: ElectronApplication;
let page: Page;
let echo: EchoServer;
let userData: string;

test.beforeAll(async () => {
  if (runtime === null || noDisplay) return;
  const entry = path.join(repoRoot, 'out', 'main', 'index.js');
  expect(fs.existsSync(entry), `the app must be built first (npm run build): ${entry} is missing`).toBe(true);
  echo = await startEchoServer();
  userData = fs.mkdtempSync(path.join(os.tmpdir(), 'tunnelscope-electron-e2e-'));
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (value !== undefined && !PROXY_VARIABLES.includes(name.toLowerCase()) && name !== 'ELECTRON_RENDERER_URL') env[name] = value;
  }
  env['TUNNELSCOPE_USER_DATA_DIR'] = userData;
  app = await electron.launch({ executablePath: runtime, args: [repoRoot], cwd: repoRoot, env });
  page = await app.firstWindow();
});

test.afterAll(async () => {
  await app?.close();
  await echo?.close();
  if (userData) fs.rmSync(userData, { recursive: true, force: true });
});

test('the window shows the UI from app://tunnelscope, with the bridge and without Node', async () => {
  await expect(page.getByLabel('URL', { exact: true })).toBeVisible();
  expect(page.url()).toBe('app://tunnelscope/index.html');
  // The page has the bridge's named methods and nothing of Node or IPC.
  const surface = await page.evaluate(() => {
    const bridge: unknown = Reflect.get(globalThis, 'tunnelscope');
    return {
      methods: typeof bridge === 'object' && bridge !== null ? Object.keys(bridge).sort() : [],
      require: typeof Reflect.get(globalThis, 'require'),
      process: typeof Reflect.get(globalThis, 'process'),
    };
  });
  expect(surface.methods).toContain('session:open');
  expect(surface.methods).toContain('onEvent');
  expect(surface.methods).not.toContain('invoke');
  expect(surface).toMatchObject({ require: 'undefined', process: 'undefined' });
  await saveScreenshot(page, 'electron-start');
});

test('window.open is denied', async () => {
  const opened = await page.evaluate(() => Reflect.apply(Reflect.get(globalThis, 'open'), globalThis, ['about:blank']) === null);
  expect(opened).toBe(true);
  expect(app.windows()).toHaveLength(1);
});

test('connects to a local echo server, sends, and sees the frames both ways', async () => {
  await connect(page, echo.url, { mode: 'none' });
  await expect(stateOf(page)).toContainText(/open/i);
  await sendAndSeeEcho(page, 'hello from the desktop app');
  await expect(frames(page)).toBeVisible();
  await saveScreenshot(page, 'electron-open-with-frames');
});
