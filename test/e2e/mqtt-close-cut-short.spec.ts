/**
 * A close that cuts an MQTT packet short, in the log (issue 14: a packet longer than what ever
 * arrives is "not valid MQTT: what and where"): a `ws` server on 127.0.0.1 (port 0) that chooses
 * `mqtt` sends a CONNACK, the first 9 bytes of a 26-byte PUBLISH, and closes. The log's Summary
 * reads the CONNACK, the part of the PUBLISH with how much of it arrived, and, on the close's row,
 * in the warning tone, that the close cut the PUBLISH short; a ping-free close row of a session
 * with nothing under way stays empty (mqtt-not-valid-summary.test.ts). Screenshot:
 * test-results/screenshots/mqtt-close-cut-short.png.
 */
import type { AddressInfo } from 'node:net';
import { expect, test } from '@playwright/test';
import mqtt from 'mqtt-packet';
import { WebSocketServer } from 'ws';
import { connect, frames, openInspector, saveScreenshot, stateOf } from './support/inspector';
import { startWebHostProcess, type WebHostProcess } from './support/web-host-process';

let host: WebHostProcess;
let wss: WebSocketServer;
let url: string;

const v5 = { protocolVersion: 5 };
const connack = mqtt.generate({ cmd: 'connack', sessionPresent: false, reasonCode: 0 }, v5);
const publish = mqtt.generate({ cmd: 'publish', topic: 'sensors/1', payload: Buffer.from('{"t":21.5}'), qos: 1, messageId: 1, retain: false, dup: false }, v5);

test.beforeAll(async () => {
  host = await startWebHostProcess();
  wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false, handleProtocols: (offered) => (offered.has('mqtt') ? 'mqtt' : false) });
  wss.on('connection', (socket) => {
    socket.on('error', () => socket.terminate());
    socket.send(connack, { binary: true });
    socket.send(publish.subarray(0, 9), { binary: true });
    socket.close(1000);
  });
  await new Promise<void>((resolve) => wss.once('listening', resolve));
  url = `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/mqtt`;
});

test.afterAll(async () => {
  await host?.stop();
  for (const client of wss.clients) client.terminate();
  await new Promise<void>((resolve) => wss.close(() => resolve()));
});

test('the close row says it cut the PUBLISH short, and how much of it arrived', async ({ page }) => {
  await openInspector(page, host.url);
  await page.getByRole('button', { name: /^Connection options/ }).click();
  await page.getByLabel('Subprotocols', { exact: true }).fill('mqtt');
  await connect(page, url);
  await expect(stateOf(page)).toContainText('closed');
  await page.getByLabel('Decode', { exact: true }).selectOption('mqtt');
  const rows = frames(page).getByRole('row');
  await expect(rows.filter({ hasText: 'CONNACK' })).toHaveCount(1);
  await expect(rows.filter({ hasText: 'part of an MQTT PUBLISH: 7 of the 24 B after its fixed header so far' })).toHaveCount(1);
  const close = rows.filter({ hasText: 'a close frame, which cuts short the PUBLISH under way in this direction: 7 of the 24 B' });
  await expect(close).toHaveCount(1);
  await expect(close).toContainText('⚠');
  await saveScreenshot(page, 'mqtt-close-cut-short');
});
