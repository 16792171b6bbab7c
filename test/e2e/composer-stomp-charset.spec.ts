/**
 * The composer's STOMP body in its content-type's charset, in the app. A SEND with
 * `content-type:text/plain;charset=iso-8859-1` and the body "café €" reaches the server as a
 * binary message whose body is windows-1252's bytes (63 61 66 e9 20 80, content-length:6; before,
 * UTF-8 in a text message and content-length:9); the server answers a MESSAGE with the same body
 * and type, which the log decodes as "café €". A character the charset lacks ("ē") is refused
 * before Send, naming it and where. A `ws` server on 127.0.0.1 (port 0) plays the broker.
 * Screenshots: test-results/screenshots/composer-stomp-charset-*.png.
 */
import { expect, test, type Locator, type Page } from '@playwright/test';
import { startLocalWss, type LocalWss } from './support/local-wss';
import { connect, frames, openInspector, saveScreenshot, stateOf } from './support/inspector';
import { startWebHostProcess, type WebHostProcess } from './support/web-host-process';

let host: WebHostProcess;
let wss: LocalWss | undefined;
/** What the broker received: binary or text, and the bytes. */
const received: { binary: boolean; bytes: Buffer }[] = [];

test.beforeAll(async () => {
  host = await startWebHostProcess();
  wss = await startLocalWss((socket) => {
    socket.on('message', (data, isBinary) => {
      const bytes = Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
      received.push({ binary: isBinary, bytes });
      // The SEND's body and content-type back in a MESSAGE, as a broker delivers it.
      const start = bytes.indexOf('\n\n') + 2;
      const body = bytes.subarray(start, bytes.length - 1);
      const type = /content-type:([^\n]*)/.exec(bytes.subarray(0, start).toString('utf8'))?.[1] ?? 'text/plain';
      const head = `MESSAGE\ndestination:/queue/a\nsubscription:sub-0\nmessage-id:m-1\ncontent-type:${type}\ncontent-length:${body.length}\n\n`;
      socket.send(Buffer.concat([Buffer.from(head, 'utf8'), body, Buffer.from([0])]), { binary: true });
    });
  });
});

test.afterAll(async () => {
  await wss?.close();
  await host?.stop();
});

function summaries(page: Page): Locator {
  return frames(page).locator('[role="row"]:not(.placeholder):not(.head) .c-summary');
}

test('STOMP: a body goes in its content-type charset; a character the charset lacks is refused where it is', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await openInspector(page, host.url);
  await connect(page, `${wss?.base ?? ''}/stomp`);
  await expect(stateOf(page)).toContainText('open');
  await page.getByLabel('Decode', { exact: true }).selectOption('stomp');
  const composer = page.getByRole('region', { name: 'Composer' });
  await composer.getByRole('button', { name: 'Protocol', exact: true }).click();
  await composer.getByLabel('Protocol', { exact: true }).selectOption('stomp');
  await composer.getByLabel('Command', { exact: true }).selectOption('SEND');
  await composer.getByLabel('Header 1 value').fill('/queue/a');
  await composer.getByRole('button', { name: '+ Header' }).click();
  await composer.getByLabel('Header 2 name').fill('content-type');
  await composer.getByLabel('Header 2 value').fill('text/plain;charset=iso-8859-1');
  await composer.getByLabel('Body').fill('café €');
  await expect(page.getByTestId('protocol-preview')).toContainText('Will send (binary,');
  await expect(page.getByTestId('protocol-preview')).toContainText('SEND /queue/a 6 B');
  await saveScreenshot(page, 'composer-stomp-charset-preview');
  await composer.getByRole('button', { name: 'Send', exact: true }).click();
  await expect(summaries(page).filter({ hasText: 'MESSAGE /queue/a' })).toHaveCount(1);
  expect(received).toHaveLength(1);
  expect(received[0]?.binary).toBe(true);
  const bytes = received[0]?.bytes ?? Buffer.alloc(0);
  expect(bytes.toString('latin1')).toContain('content-length:6\n\n');
  expect([...bytes.subarray(bytes.length - 7)]).toEqual([0x63, 0x61, 0x66, 0xe9, 0x20, 0x80, 0x00]);
  // The broker's MESSAGE with the same bytes: the log reads them in the charset.
  await frames(page).locator('[role="row"]').filter({ hasText: 'MESSAGE /queue/a' }).click();
  const decoded = page.getByTestId('decoded-frame');
  await expect(decoded).toContainText('"café €"');
  await decoded.getByText('"café €"').scrollIntoViewIfNeeded();
  await saveScreenshot(page, 'composer-stomp-charset-log');

  await composer.getByLabel('Body').fill('café ē');
  await expect(page.getByTestId('protocol-problem')).toHaveText(
    "The body: “ē” (U+0113) at character 6 is not in windows-1252 (charset 'iso-8859-1'), the charset the content-type names; leave it out, or name a charset that has it (utf-8 has every character)",
  );
  await saveScreenshot(page, 'composer-stomp-charset-refused');
  await composer.getByRole('button', { name: 'Send', exact: true }).click();
  await expect(page.getByTestId('protocol-problem')).toBeVisible();
  expect(received).toHaveLength(1);
});
