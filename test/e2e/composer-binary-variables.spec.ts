/**
 * {{…}} in a Binary message, in Chromium through the web host against an echo server on
 * 127.0.0.1: never filled in, and said before Send. A Text message with a variable switched to
 * Binary keeps its bytes, and a warning under the box says they go out literally; sent, the
 * server gets `{{token}}` as typed. Typed into the hex box, the problem says variables are not
 * filled in there (was "“{” is not a hex digit"). Screenshots:
 * test-results/screenshots/composer-binary-variables-{note,typed}.png.
 */
import type { AddressInfo } from 'node:net';
import { expect, test, type Page } from '@playwright/test';
import { WebSocketServer } from 'ws';
import { connect, openInspector, saveScreenshot, stateOf } from './support/inspector';
import { startWebHostProcess, type WebHostProcess } from './support/web-host-process';

let host: WebHostProcess;
let server: WebSocketServer | undefined;
let url = '';
const received: { binary: boolean; text: string }[] = [];

test.beforeAll(async () => {
  host = await startWebHostProcess();
  const started = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  server = started;
  started.on('connection', (socket) => socket.on('message', (data, binary) => received.push({ binary, text: Buffer.from(data as Buffer).toString('utf8') })));
  await new Promise<void>((resolve) => started.once('listening', resolve));
  url = `ws://127.0.0.1:${(started.address() as AddressInfo).port}/`;
});

test.afterAll(async () => {
  const closing = server;
  // ws's close() waits for the connections to end: the inspector's is ended here.
  for (const client of closing?.clients ?? []) client.terminate();
  if (closing) await new Promise<void>((resolve) => closing.close(() => resolve()));
  await host?.stop();
});

const composer = (page: Page) => page.getByRole('region', { name: 'Composer' });

test('a variable in a Binary message: a warning before Send, and the bytes go as written', async ({ page }) => {
  await openInspector(page, host.url);
  await connect(page, url);
  await expect(stateOf(page)).toContainText('open');
  const box = composer(page).getByLabel('Message', { exact: true });
  await box.fill('{"token":"{{token}}"}');
  await expect(page.getByTestId('composer-binary-variables')).toHaveCount(0);
  await composer(page).getByRole('button', { name: 'Binary', exact: true }).click();
  const note = page.getByTestId('composer-binary-variables');
  await expect(note).toContainText('These bytes hold {{…}} as text: a Binary message is sent as written, so it goes out literally, not filled in');
  await saveScreenshot(page, 'composer-binary-variables-note');
  await composer(page).getByRole('button', { name: 'Send', exact: true }).click();
  await expect.poll(() => received.length).toBe(1);
  expect(received[0]).toEqual({ binary: true, text: '{"token":"{{token}}"}' });

  await box.fill('de ad {{$counter}}');
  await expect(composer(page)).toContainText('Variables ({{…}}) are not filled in for Binary messages');
  await expect(composer(page)).not.toContainText('is not a hex digit');
  await saveScreenshot(page, 'composer-binary-variables-typed');
});
