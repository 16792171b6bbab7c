/**
 * The Decode picker's Auto guess from the subprotocol the server chose, as soon as the session is
 * open (issue 14 QA): against Mosquitto (subprotocol mqtt) the picker said "No protocol recognised
 * yet (looked at the handshake and the first messages)" until the first frame came, since it asked
 * the engine when the tab attached, before the upgrade, and then only when frames came. A `ws`
 * server on 127.0.0.1 (port 0) that chooses `mqtt` and sends nothing stands for the broker; it
 * holds the upgrade until the tab's log is there (Mosquitto took 120-170 ms to answer it, a bare
 * `ws` server answers before the log mounts, which hid the fault).
 */
import type { AddressInfo } from 'node:net';
import { expect, test } from '@playwright/test';
import { WebSocketServer } from 'ws';
import { connect, frames, openInspector, saveScreenshot, stateOf } from './support/inspector';
import { startWebHostProcess, type WebHostProcess } from './support/web-host-process';

let host: WebHostProcess;
let wss: WebSocketServer;
let url: string;
/** Answers the held upgrade. */
let release: (() => void) | undefined;
const upgradeHeld = (): boolean => release !== undefined;
const releaseUpgrade = (): void => release?.();

test.beforeAll(async () => {
  host = await startWebHostProcess();
  wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false, handleProtocols: (offered) => (offered.has('mqtt') ? 'mqtt' : false),
    verifyClient: (_info, done: (ok: boolean) => void) => {
      release = () => done(true);
    },
  });
  wss.on('connection', (socket) => socket.on('error', () => socket.terminate()));
  await new Promise<void>((resolve) => wss.once('listening', resolve));
  url = `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/mqtt`;
});

test.afterAll(async () => {
  // The host first, and an upgrade still held (a failed run) answered: else the server's close
  // waited for that connection and the host outlived the run.
  await host?.stop();
  releaseUpgrade();
  for (const client of wss.clients) client.terminate();
  await new Promise<void>((resolve) => wss.close(() => resolve()));
});

test('the server chose mqtt: the picker says Auto: MQTT? before any frame', async ({ page }) => {
  release = undefined;
  await openInspector(page, host.url);
  await page.getByRole('button', { name: /^Connection options/ }).click();
  await page.getByLabel('Subprotocols', { exact: true }).fill('mqtt');
  await connect(page, url);
  // The log is shown while the upgrade is held; then the server answers it.
  await expect(stateOf(page)).toHaveAttribute('data-state', 'upgrading');
  await expect(frames(page)).toBeVisible();
  await expect.poll(upgradeHeld).toBe(true);
  releaseUpgrade();
  await expect(stateOf(page)).toContainText('open');
  await expect(frames(page).getByRole('row').filter({ hasNotText: '#' })).toHaveCount(0);
  const picker = page.getByLabel('Decode', { exact: true });
  await expect(picker.locator('option[value="auto"]')).toHaveText('Auto: MQTT?');
  await expect(picker).toHaveAttribute('title', 'MQTT, a guess: the server chose the subprotocol mqtt. Pick it to confirm, or another.');
  await saveScreenshot(page, 'decode-picker-at-open');
});
