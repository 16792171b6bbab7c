/**
 * The composer's Protocol format after the issue 14 QA (M6, L1, L2), in the browser against a
 * `ws` echo server on 127.0.0.1 (port 0):
 *  - MessagePack and CBOR from JSON keep an integer beyond 2^53 exact: the server receives
 *    12345678901234567890 (before: a float64, 12345678901234567000 once read back) and the echo
 *    decodes to it; MessagePack beyond 64 bits is refused, saying where.
 *  - The MQTT packets added (PUBREL, UNSUBSCRIBE …) and, MQTT being binary, the note that {{…}}
 *    is sent as typed there.
 *  - Save to profile: a tab saved as a profile, then the Protocol format's message added to it
 *    as a saved message of kind Protocol, sent from the saved bar with {{$counter}} filled in.
 * Screenshots: test-results/screenshots/composer-more-*.png.
 */
import { decode as cborDecode } from 'cbor-x';
import { Unpackr } from 'msgpackr';
import { expect, test, type Page } from '@playwright/test';
import type { RawData } from 'ws';
import { startLocalWss, type LocalWss } from './support/local-wss';
import { connect, frames, openInspector, saveScreenshot, stateOf } from './support/inspector';
import { startWebHostProcess, type WebHostProcess } from './support/web-host-process';

let host: WebHostProcess;
let wss: LocalWss | undefined;
const received: { binary: boolean; data: Buffer }[] = [];
const unpackr = new Unpackr({ useRecords: false, int64AsType: 'bigint' });

function bufferOf(data: RawData): Buffer {
  return Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data);
}

test.beforeAll(async () => {
  host = await startWebHostProcess();
  wss = await startLocalWss((socket) => {
    socket.on('message', (data, binary) => {
      const bytes = bufferOf(data);
      received.push({ binary, data: bytes });
      socket.send(bytes, { binary });
    });
  });
});

test.afterAll(async () => {
  await wss?.close();
  await host?.stop();
});

const composer = (page: Page) => page.getByRole('region', { name: 'Composer' });
const summaries = (page: Page) => frames(page).locator('[role="row"]:not(.placeholder):not(.head) .c-summary');

async function openProtocol(page: Page, path: string): Promise<void> {
  await openInspector(page, host.url);
  await connect(page, `${wss?.base ?? ''}${path}`);
  await expect(stateOf(page)).toContainText('open');
  await composer(page).getByRole('button', { name: 'Protocol', exact: true }).click();
}

test('MessagePack and CBOR: an integer beyond 2^53 goes exact, and one beyond 64 bits in MessagePack is refused where it is', async ({ page }) => {
  received.length = 0;
  await openProtocol(page, '/big');
  // Two binary frames are too few for Auto to be sure: the log reads them as MessagePack.
  await page.getByLabel('Decode', { exact: true }).selectOption('msgpack');
  await composer(page).getByLabel('Protocol', { exact: true }).selectOption('msgpack');
  await composer(page).getByLabel('Value (JSON)').fill('{"big":12345678901234567890}');
  await expect(page.getByTestId('protocol-preview')).toBeVisible();
  await composer(page).getByRole('button', { name: 'Send', exact: true }).click();
  await expect(summaries(page)).toHaveCount(2);
  await expect.poll(() => received.length).toBe(1);
  expect(unpackr.unpack(received[0]?.data ?? Buffer.alloc(0))).toEqual({ big: 12345678901234567890n });
  // The echo, decoded: the digits as sent.
  await frames(page).locator('[role="row"]:not(.placeholder):not(.head)').nth(1).click();
  await expect(page.getByTestId('decoded-frame')).toContainText('12345678901234567890');
  await saveScreenshot(page, 'composer-more-msgpack-big');

  await composer(page).getByLabel('Value (JSON)').fill('{\n  "huge": 18446744073709551616\n}');
  await expect(page.getByTestId('protocol-problem')).toHaveText('line 2, column 11: 18446744073709551616 is beyond 64 bits, and MessagePack has no larger integer (CBOR has: a bignum); write it as a string');
  await saveScreenshot(page, 'composer-more-msgpack-too-big');
  // CBOR takes it, as a bignum.
  await composer(page).getByLabel('Protocol', { exact: true }).selectOption('cbor');
  await composer(page).getByLabel('Value (JSON)').fill('{"big":12345678901234567890,"huge":18446744073709551616}');
  await expect(page.getByTestId('protocol-preview')).toBeVisible();
  await composer(page).getByRole('button', { name: 'Send', exact: true }).click();
  await expect.poll(() => received.length).toBe(2);
  expect(cborDecode(received[1]?.data ?? Buffer.alloc(0))).toEqual({ big: 12345678901234567890n, huge: 18446744073709551616n });
});

test('MQTT: the answers, UNSUBSCRIBE, PINGREQ and DISCONNECT are offered; {{…}} in a PUBLISH is said to go as typed', async ({ page }) => {
  received.length = 0;
  await openProtocol(page, '/mqtt');
  await composer(page).getByLabel('Protocol', { exact: true }).selectOption('mqtt');
  const packet = composer(page).getByLabel('MQTT packet');
  expect(await packet.locator('option').allTextContents()).toEqual(['CONNECT', 'SUBSCRIBE', 'PUBLISH', 'PUBACK', 'PUBREC', 'PUBREL', 'PUBCOMP', 'UNSUBSCRIBE', 'PINGREQ', 'DISCONNECT']);
  await packet.selectOption('publish');
  await composer(page).getByLabel('Topic', { exact: true }).fill('sensors/1');
  await composer(page).getByLabel('QoS').selectOption('2');
  await composer(page).getByLabel('Payload', { exact: true }).fill('n={{$counter}}');
  await expect(page.getByTestId('protocol-as-typed')).toHaveText('⚠ MQTT is binary: {{…}} is sent as typed, not filled in (only STOMP, Socket.IO, GraphQL and SignalR messages are).');
  await saveScreenshot(page, 'composer-more-mqtt-as-typed');
  await composer(page).getByRole('button', { name: 'Send', exact: true }).click();
  await expect.poll(() => received.length).toBe(1);
  // Then the PUBREL that follows its PUBREC: proposed with that PUBLISH's packet id.
  await packet.selectOption('pubrel');
  await expect(composer(page).getByLabel('Packet id')).toHaveValue('1');
  await expect(page.getByTestId('protocol-preview')).toContainText('PUBREL');
  await saveScreenshot(page, 'composer-more-mqtt-pubrel');
  await composer(page).getByRole('button', { name: 'Send', exact: true }).click();
  await expect.poll(() => received.length).toBe(2);
  expect(received[1]?.data.toString('hex')).toBe('62020001');
});

test('Save to profile: the message joins the tab\'s profile as kind Protocol, and its {{$counter}} is filled in when sent from there', async ({ page }) => {
  received.length = 0;
  await openInspector(page, host.url);
  await page.getByLabel('URL', { exact: true }).fill(`${wss?.base ?? ''}/saved`);
  await page.getByRole('button', { name: 'Save as profile', exact: true }).click();
  const form = page.getByRole('group', { name: 'Save as profile' });
  await form.getByLabel('Profile name', { exact: true }).fill('echo');
  await form.getByRole('button', { name: 'Save profile', exact: true }).click();
  await page.getByRole('button', { name: 'Connect', exact: true }).click();
  await expect(stateOf(page)).toContainText('open');
  await composer(page).getByRole('button', { name: 'Protocol', exact: true }).click();
  await composer(page).getByLabel('Protocol', { exact: true }).selectOption('socketio');
  await composer(page).getByLabel('Event', { exact: true }).fill('chat');
  await composer(page).getByLabel('Arguments (a JSON array)').fill('["hi {{$counter}}"]');
  await expect(page.getByTestId('protocol-fill')).toBeVisible();
  await composer(page).getByRole('button', { name: 'Save to profile…' }).click();
  await composer(page).getByLabel('Name', { exact: true }).fill('chat hi');
  await saveScreenshot(page, 'composer-more-save-to-profile');
  await composer(page).getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByTestId('save-to-profile-outcome')).toHaveText('Saved “chat hi” to “echo”.');
  const saved = composer(page).getByRole('button', { name: 'Send saved message “chat hi”' });
  await expect(saved).toBeVisible();
  await saveScreenshot(page, 'composer-more-saved');
  await saved.click();
  await expect.poll(() => received.map((r) => r.data.toString('utf8'))).toEqual(['42["chat","hi 1"]']);
});
