/**
 * Export with decoded frames in the app (issue 14 §2), in Chromium through the web host at
 * 1280×800: a scripted STOMP server (a `ws` server that greets with CONNECTED and sends a
 * MESSAGE, so auto recognises STOMP from the first message) is connected to; the Export menu
 * offers "Add decoded frames (STOMP)", and the NDJSON it downloads carries each frame's
 * `decoded` beside the raw text. Screenshot: test-results/screenshots/export-decoded-menu.png.
 */
import { readFile } from 'node:fs/promises';
import { expect, test } from '@playwright/test';
import { connect, openInspector, saveScreenshot, stateOf } from './support/inspector';
import { startGreetingServer, type GreetingServer } from './support/greeting-server';
import { startWebHostProcess, type WebHostProcess } from './support/web-host-process';

let host: WebHostProcess;
let server: GreetingServer | undefined;
let url: string;

test.beforeAll(async () => {
  host = await startWebHostProcess();
  server = await startGreetingServer('/stomp', ['CONNECTED\nversion:1.2\nheart-beat:0,0\n\n\u0000', 'MESSAGE\nsubscription:sub-0\nmessage-id:m-1\ndestination:/topic/prices\n\n{"price":12.5}\u0000']);
  url = server.url;
});

test.afterAll(async () => {
  await host?.stop();
  await server?.close();
});

test('Export → Add decoded frames: the NDJSON has each STOMP frame decoded beside its text', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await openInspector(page, host.url);
  await connect(page, url);
  await expect(stateOf(page)).toContainText('open');
  await expect(page.getByText('MESSAGE /topic/prices 14 B subscription=sub-0 message-id=m-1')).toBeVisible();

  await page.getByRole('button', { name: 'Export ▾' }).click();
  const box = page.getByTestId('export-decoded');
  await expect(box).toHaveText('☐ Add decoded frames (STOMP)');
  await box.click();
  await expect(box).toHaveAttribute('aria-checked', 'true');
  await saveScreenshot(page, 'export-decoded-menu');

  const download = page.waitForEvent('download');
  await page.getByRole('menuitem', { name: 'All frames as NDJSON' }).click();
  const file = await (await download).path();
  const lines = (await readFile(file, 'utf8')).trimEnd().split('\n').slice(1).map((line) => JSON.parse(line) as { text?: string; decoded?: { protocol: string; summary: string; guess?: boolean } });
  expect(lines.map((line) => line.decoded?.summary)).toEqual(['CONNECTED version=1.2 heart-beat=0,0', 'MESSAGE /topic/prices 14 B subscription=sub-0 message-id=m-1']);
  expect(lines[1]?.decoded).toMatchObject({ protocol: 'stomp', guess: true });
  expect(lines[1]?.text).toContain('{"price":12.5}');
});
