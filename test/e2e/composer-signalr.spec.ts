/**
 * The composer's SignalR form (QA 5, finding 4), in the browser against a small SignalR-like
 * server on 127.0.0.1 (port 0): it answers the client's handshake with {} and 0x1E and each
 * Invocation with an id with its Completion (the arguments as the result). Before, the Protocol
 * list had no SignalR and the Text box cannot hold the 0x1E record separator, so no record could
 * be ended. The server receives the records as the preview shows them (\x1e for 0x1E), the log
 * decodes both ways, and arguments that are not a JSON array are refused before sending.
 * Screenshots: test-results/screenshots/composer-signalr-*.png.
 */
import { expect, test, type Page } from '@playwright/test';
import { startLocalWss, type LocalWss } from './support/local-wss';
import { connect, frames, openInspector, saveScreenshot, stateOf } from './support/inspector';
import { startWebHostProcess, type WebHostProcess } from './support/web-host-process';

const RS = '\u001e';
let host: WebHostProcess;
let wss: LocalWss | undefined;
const received: string[] = [];

test.beforeAll(async () => {
  host = await startWebHostProcess();
  wss = await startLocalWss((socket) => {
    let handshaken = false;
    socket.on('message', (data, binary) => {
      if (binary) return;
      const text = String(data);
      received.push(text);
      for (const raw of text.split(RS).slice(0, -1)) {
        const record = JSON.parse(raw) as { type?: number; invocationId?: string; arguments?: unknown };
        if (!handshaken) {
          handshaken = true;
          socket.send(`{}${RS}`);
        } else if (record.type === 1 && record.invocationId !== undefined) {
          socket.send(`${JSON.stringify({ type: 3, invocationId: record.invocationId, result: record.arguments })}${RS}`);
        }
      }
    });
  });
});

test.afterAll(async () => {
  await wss?.close();
  await host?.stop();
});

const composer = (page: Page) => page.getByRole('region', { name: 'Composer' });
const summaries = (page: Page) => frames(page).locator('[role="row"]:not(.placeholder):not(.head) .c-summary');

test('SignalR: the handshake and an Invocation go ended by 0x1E, as the preview shows; the server completes it; bad arguments are refused', async ({ page }) => {
  await openInspector(page, host.url);
  await connect(page, `${wss?.base ?? ''}/hub`);
  await expect(stateOf(page)).toContainText('open');
  await page.getByLabel('Decode', { exact: true }).selectOption('signalr');
  await composer(page).getByRole('button', { name: 'Protocol', exact: true }).click();
  await composer(page).getByLabel('Protocol', { exact: true }).selectOption('signalr');
  await expect(page.getByTestId('protocol-wire')).toHaveText(`{"protocol":"json","version":1}\\x1e`);
  await composer(page).getByRole('button', { name: 'Send', exact: true }).click();
  await expect(summaries(page)).toHaveCount(2);
  expect(received).toEqual([`{"protocol":"json","version":1}${RS}`]);
  await expect(summaries(page).nth(0)).toContainText('handshake json v1');
  await expect(summaries(page).nth(1)).toContainText('handshake accepted');

  await composer(page).getByLabel('SignalR message').selectOption('invocation');
  await composer(page).getByLabel('Target', { exact: true }).fill('Echo');
  await composer(page).getByLabel('SignalR arguments (a JSON array)').fill('["hi", 2]');
  await expect(composer(page).getByLabel('Invocation id', { exact: true })).toHaveValue('1');
  await expect(page.getByTestId('protocol-wire')).toHaveText('{"type":1,"invocationId":"1","target":"Echo","arguments":["hi", 2]}\\x1e');
  await expect(page.getByTestId('protocol-preview')).toContainText("invoke 'Echo' (2 args) #1");
  await saveScreenshot(page, 'composer-signalr-invocation');
  await composer(page).getByRole('button', { name: 'Send', exact: true }).click();
  await expect(summaries(page)).toHaveCount(4);
  expect(received[1]).toBe(`{"type":1,"invocationId":"1","target":"Echo","arguments":["hi", 2]}${RS}`);
  await expect(summaries(page).nth(2)).toContainText("invoke 'Echo' (2 args) #1");
  await expect(summaries(page).nth(3)).toContainText('completion #1 with a result');
  // The id moved on to the next free one.
  await expect(composer(page).getByLabel('Invocation id', { exact: true })).toHaveValue('2');

  await composer(page).getByLabel('SignalR arguments (a JSON array)').fill('{"text": "hi"}');
  await expect(page.getByTestId('protocol-problem')).toHaveText('The arguments: they are a JSON object, not an array: write them in [ ], e.g. ["hello", 1].');
  await saveScreenshot(page, 'composer-signalr-refused');
  await composer(page).getByRole('button', { name: 'Send', exact: true }).click();
  await expect(summaries(page)).toHaveCount(4);
  expect(received).toHaveLength(2);
});
