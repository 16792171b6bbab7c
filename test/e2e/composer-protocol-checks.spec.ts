/**
 * The Protocol form's checks before Send (QA pass 3), in the app. STOMP: after a CONNECT with
 * login and passcode, picking SUBSCRIBE shows only id and destination (before, login and passcode
 * went out on the SUBSCRIBE); a SEND's body is emptied for the UNSUBSCRIBE; a receipt id sent
 * already is warned about. Socket.IO: a second connect to / is warned about with "Emit on /"; an
 * emit on /chat, never connected, is warned about with "Connect /chat first", which connects it. A `ws` server on 127.0.0.1 (port 0) plays a socket.io
 * v4 server's handshake (Engine.IO open, CONNECT answers) and swallows STOMP frames.
 * Screenshots: test-results/screenshots/composer-protocol-checks-*.png.
 */
import { expect, test, type Locator } from '@playwright/test';
import { startLocalWss, type LocalWss } from './support/local-wss';
import { connect, frames, openInspector, saveScreenshot, stateOf } from './support/inspector';
import { startWebHostProcess, type WebHostProcess } from './support/web-host-process';

let host: WebHostProcess;
let wss: LocalWss | undefined;

test.beforeAll(async () => {
  host = await startWebHostProcess();
  wss = await startLocalWss((socket, request) => {
    if (!(request.url ?? '').startsWith('/socket.io/')) return;
    socket.send('0{"sid":"e1","upgrades":[],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000}');
    socket.on('message', (data) => {
      const text = data.toString();
      // A CONNECT to a namespace: answered with its sid, as a socket.io v4 server does.
      const nsp = /^40(\/[^,]*)?,?/.exec(text);
      if (nsp) socket.send(nsp[1] ? `40${nsp[1]},{"sid":"s-${nsp[1]}"}` : '40{"sid":"s-root"}');
    });
  });
});

test.afterAll(async () => {
  await wss?.close();
  await host?.stop();
});

async function addHeader(composer: Locator, n: number, name: string, value: string): Promise<void> {
  await composer.getByRole('button', { name: '+ Header' }).click();
  await composer.getByLabel(`Header ${n} name`).fill(name);
  await composer.getByLabel(`Header ${n} value`).fill(value);
}

test('STOMP: a command change drops what the new command does not take; a reused receipt is warned about', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await openInspector(page, host.url);
  await connect(page, `${wss?.base ?? ''}/stomp`);
  await expect(stateOf(page)).toContainText('open');
  const composer = page.getByRole('region', { name: 'Composer' });
  await composer.getByRole('button', { name: 'Protocol', exact: true }).click();
  await composer.getByLabel('Protocol', { exact: true }).selectOption('stomp');
  const command = composer.getByLabel('Command', { exact: true });
  const send = composer.getByRole('button', { name: 'Send', exact: true });
  await command.selectOption('CONNECT');
  await addHeader(composer, 3, 'login', 'guest');
  await addHeader(composer, 4, 'passcode', 'guest');
  await expect(page.getByTestId('protocol-preview')).toBeVisible();
  await send.click();
  await command.selectOption('SUBSCRIBE');
  await composer.getByLabel('Header 2 value').fill('/topic/prices');
  await addHeader(composer, 3, 'receipt', 'r-1');
  await expect(composer.getByLabel('Header 4 name')).toHaveCount(0);
  await expect(page.getByTestId('protocol-preview')).toContainText('SUBSCRIBE /topic/prices id=sub-0');
  await saveScreenshot(page, 'composer-protocol-checks-stomp-subscribe');
  await send.click();
  await command.selectOption('SEND');
  await expect(composer.getByLabel('Header 1 value')).toHaveValue('/topic/prices');
  await expect(composer.getByLabel('Header 2 name')).toHaveCount(0);
  await composer.getByLabel('Body').fill('two');
  await addHeader(composer, 2, 'receipt', 'r-1');
  await expect(page.getByTestId('protocol-receipt-warning')).toContainText('The receipt id r-1 was sent on a frame of this connection already');
  await saveScreenshot(page, 'composer-protocol-checks-stomp-receipt');
  await composer.getByRole('button', { name: 'Use r-2' }).click();
  await expect(page.getByTestId('protocol-receipt-warning')).toHaveCount(0);
  await send.click();
  await command.selectOption('UNSUBSCRIBE');
  await expect(composer.getByLabel('Body')).toHaveValue('');
  await expect(composer.getByLabel('Header 2 name')).toHaveCount(0);
  await expect(page.getByTestId('protocol-preview')).toContainText('UNSUBSCRIBE id=sub-0');
  await expect(page.getByTestId('protocol-preview')).not.toContainText('receipt');
  await saveScreenshot(page, 'composer-protocol-checks-stomp-unsubscribe');
  // A body typed there is refused before Send, with STOMP 1.2's rule.
  await composer.getByLabel('Body').fill('two');
  await expect(page.getByTestId('protocol-problem')).toContainText('an UNSUBSCRIBE frame takes none (STOMP 1.2 allows a body only on SEND, MESSAGE and ERROR frames)');
  await saveScreenshot(page, 'composer-protocol-checks-stomp-body-refused');
});

test('Socket.IO: an emit on a namespace never connected is warned about; Connect /chat first connects it', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await openInspector(page, host.url);
  await connect(page, `${wss?.base ?? ''}/socket.io/?EIO=4&transport=websocket`);
  await expect(stateOf(page)).toContainText('open');
  const composer = page.getByRole('region', { name: 'Composer' });
  await composer.getByRole('button', { name: 'Protocol', exact: true }).click();
  await composer.getByLabel('Protocol', { exact: true }).selectOption('socketio');
  const send = composer.getByRole('button', { name: 'Send', exact: true });
  const packet = composer.getByLabel('Socket.IO packet');
  await packet.selectOption('connect');
  await send.click();
  await expect(frames(page).filter({ hasText: 'connected /' }).first()).toBeVisible();
  // A second CONNECT to / would have the server close the connection: said, with Emit on / instead.
  const connected = page.getByTestId('protocol-namespace-connected-warning');
  await expect(connected).toContainText('/ is connected on this connection already: a socket.io server closes the connection on a second connect there; emit on / instead.');
  await saveScreenshot(page, 'composer-protocol-checks-socketio-connected-already');
  await connected.getByRole('button', { name: 'Emit on /' }).click();
  await expect(packet).toHaveValue('emit');
  await expect(connected).toHaveCount(0);
  await composer.getByLabel('Event', { exact: true }).fill('chat');
  await expect(page.getByTestId('protocol-preview')).toBeVisible();
  await expect(page.getByTestId('protocol-namespace-warning')).toHaveCount(0);
  await composer.getByLabel('Namespace', { exact: true }).fill('/chat');
  const warning = page.getByTestId('protocol-namespace-warning');
  await expect(warning).toContainText('/chat is not connected on this connection: a socket.io server closes the connection on an emit there; send a connect to /chat first.');
  await saveScreenshot(page, 'composer-protocol-checks-socketio-namespace');
  await warning.getByRole('button', { name: 'Connect /chat first' }).click();
  await expect(packet).toHaveValue('connect');
  await send.click();
  await expect(frames(page).filter({ hasText: 'connected /chat' }).first()).toBeVisible();
  await packet.selectOption('emit');
  await expect(page.getByTestId('protocol-preview')).toContainText("chat");
  await expect(warning).toHaveCount(0);
  await saveScreenshot(page, 'composer-protocol-checks-socketio-connected');
});
