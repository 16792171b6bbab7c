/**
 * The Engine.IO heartbeat switch in Chromium through the web host, against a real socket.io v4
 * server on 127.0.0.1 (pingInterval 300 ms, pingTimeout 1 s). In a tab: the row under Connection
 * options is on by default and its hint says what it does; connected, the server's pings are
 * answered (its heartbeats counted) and the session stays open; with Decode set to None the hint
 * says the heartbeat still answers. Turned off, the summary says so, and on the next connection
 * the server closes the session and the status bar says why. In the profile editor: on for a new
 * profile, off saved and shown off when the profile is edited again (and stored as false).
 */
import http from 'node:http';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { expect, test, type Page } from '@playwright/test';
import { Server as SocketIoServer } from 'socket.io';
import { connect, openInspector, saveScreenshot, screenshotDir, stateOf } from './support/inspector';
import { startWebHostProcess, type WebHostProcess } from './support/web-host-process';

let host: WebHostProcess;
let io: SocketIoServer;
let url: string;
/** Pongs the server got (Engine.IO 4 `heartbeat` events), over every connection. */
let heartbeats = 0;

test.beforeAll(async () => {
  host = await startWebHostProcess();
  const httpServer = http.createServer();
  io = new SocketIoServer(httpServer, { transports: ['websocket'], pingInterval: 300, pingTimeout: 1000 });
  io.engine.on('connection', (socket: { on(event: 'heartbeat', listener: () => void): void }) => socket.on('heartbeat', () => (heartbeats += 1)));
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  url = `ws://127.0.0.1:${(httpServer.address() as AddressInfo).port}/socket.io/?EIO=4&transport=websocket`;
});

test.afterAll(async () => {
  await host?.stop();
  await io?.close();
});

function setup(page: Page) {
  return page.getByRole('region', { name: 'Connection setup' });
}

test('the tab: on by default and answered; Decode None still answered; off, the server closes and the status bar says why', async ({ page }) => {
  await openInspector(page, host.url);
  await page.getByRole('button', { name: /^Connection options:/ }).click();
  const box = setup(page).getByTestId('engineio-heartbeat');
  const hint = setup(page).getByTestId('engineio-heartbeat-hint');
  await expect(box).toBeChecked();
  await expect(setup(page).getByText('Engine.IO heartbeat', { exact: true })).toBeVisible();
  await expect(hint).toContainText('Only for a server whose first message is an Engine.IO open packet');
  // The label fits its column on one line, at 1280 px and with the options in two columns (1600 px).
  // (As tall as the one-word label "Compression" in the same column: two lines were twice as tall.)
  const label = setup(page).getByText('Engine.IO heartbeat', { exact: true });
  const oneLine = setup(page).getByText('Compression', { exact: true });
  for (const width of [1280, 1600]) {
    await page.setViewportSize({ width, height: 800 });
    await label.scrollIntoViewIfNeeded();
    const [height, lineHeight] = await Promise.all([label.evaluate((e) => e.getBoundingClientRect().height), oneLine.evaluate((e) => e.getBoundingClientRect().height)]);
    expect(height, `the label's height at ${width} px (one line: ${lineHeight} px)`).toBeLessThan(lineHeight * 1.5);
  }
  await page.setViewportSize({ width: 1280, height: 800 });

  await connect(page, url);
  await expect(stateOf(page)).toContainText('open');
  // Three pongs: the session outlived the 1 s pingTimeout more than once.
  await expect.poll(() => heartbeats, { timeout: 30_000 }).toBeGreaterThanOrEqual(3);
  await expect(stateOf(page)).toContainText('open');

  // Decode None: frames shown undecoded, the heartbeat goes on; the row says so.
  await page.getByLabel('Decode', { exact: true }).selectOption('none');
  const before = heartbeats;
  await expect.poll(() => heartbeats, { timeout: 30_000 }).toBeGreaterThanOrEqual(before + 2);
  await page.getByTestId('setup-folded').click();
  await expect(hint).toContainText('Decode is None: that changes only how frames are shown. A server that opens with Engine.IO is still answered.');
  await box.scrollIntoViewIfNeeded();
  await saveScreenshot(page, 'engineio-heartbeat-on-decode-none');

  await page.getByRole('button', { name: 'Disconnect', exact: true }).click();
  await expect(stateOf(page)).toContainText('closed');
  // The form may have folded again on close; the switch is in the options either way.
  if (await page.getByTestId('setup-folded').isVisible()) await page.getByTestId('setup-folded').click();
  await box.uncheck();
  await expect(hint).toContainText('Engine.IO pings go unanswered');
  await expect(setup(page).getByRole('button', { name: /^Connection options:/ })).toContainText('Engine.IO heartbeat off');
  await saveScreenshot(page, 'engineio-heartbeat-off');

  await page.getByRole('button', { name: 'Connect', exact: true }).click();
  await expect(page.getByText(/The server's last Engine\.IO ping \(2\) got no pong \(3\) \(answering Engine\.IO pings is off for this session\)/)).toBeVisible({ timeout: 30_000 });
  await expect(stateOf(page)).toContainText('closed');
  await saveScreenshot(page, 'engineio-heartbeat-off-closed');

  // A narrow window: the label goes above the switch, and the hint wraps inside the page.
  await page.setViewportSize({ width: 600, height: 800 });
  if (await page.getByTestId('setup-folded').isVisible()) await page.getByTestId('setup-folded').click();
  await hint.evaluate((element) => element.scrollIntoView({ block: 'center' }));
  const hintBox = await hint.boundingBox();
  expect(hintBox).not.toBeNull();
  expect((hintBox?.x ?? 0) + (hintBox?.width ?? 0)).toBeLessThanOrEqual(600);
  // The setup pane scrolls on its own: the window as the user sees it (a full-page picture lays it out again).
  await page.screenshot({ path: path.join(screenshotDir, 'engineio-heartbeat-narrow.png') });
});

test('the profile editor: on for a new profile; off is saved, stored as false and shown off again', async ({ page }) => {
  await openInspector(page, host.url);
  await page.getByRole('button', { name: 'New profile', exact: true }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Name', { exact: true }).fill('socket.io no heartbeat');
  await dialog.getByLabel('URL', { exact: true }).fill(url);
  await dialog.getByLabel('Mode', { exact: true }).selectOption('none');
  await dialog.getByTestId('profile-decode').selectOption('stomp');
  const box = dialog.getByTestId('engineio-heartbeat');
  await expect(box).toBeChecked();
  await expect(dialog.getByTestId('engineio-heartbeat-hint')).toContainText('Decode is STOMP');
  await box.scrollIntoViewIfNeeded();
  await saveScreenshot(page, 'engineio-heartbeat-profile-editor-on');
  await box.uncheck();
  await expect(dialog.getByTestId('engineio-heartbeat-hint')).toContainText('Engine.IO pings go unanswered');
  await dialog.getByRole('button', { name: 'Save profile', exact: true }).click();
  await expect(dialog).toBeHidden();

  const stored = JSON.parse(readFileSync(path.join(host.dataDir, 'profiles.json'), 'utf8')) as { profiles: { name: string; engineioHeartbeat?: unknown }[] };
  expect(stored.profiles.find((p) => p.name === 'socket.io no heartbeat')?.engineioHeartbeat).toBe(false);

  await page.getByRole('button', { name: 'Actions for socket.io no heartbeat', exact: true }).click();
  await page.getByRole('menu', { name: 'Actions for socket.io no heartbeat' }).getByRole('menuitem', { name: 'Edit…', exact: true }).click();
  await expect(dialog.getByRole('heading', { name: 'Edit profile' })).toBeVisible();
  await expect(dialog.getByTestId('engineio-heartbeat')).not.toBeChecked();
  await dialog.getByTestId('engineio-heartbeat').scrollIntoViewIfNeeded();
  await saveScreenshot(page, 'engineio-heartbeat-profile-editor-off');
});
