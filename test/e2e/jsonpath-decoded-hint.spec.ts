/**
 * A JSONPath search that finds nothing in a session a protocol decodes points to the Decoded mode
 * (issue 14 QA): on a socket.io v4 chat `$.event == 'chat'` in JSONPath mode said "No matches"
 * beside two chat events, since JSONPath reads each message as sent (`42["chat",…]` is not JSON).
 * A `ws` server on 127.0.0.1 (port 0) plays a Socket.IO server's frames at /socket.io/?EIO=4
 * (recognised from the URL), and plain JSON at /json (no protocol: no pointer to Decoded; a
 * Decoded search there that finds nothing says nothing is decoded and points to JSONPath).
 * Screenshot: test-results/screenshots/jsonpath-decoded-hint.png.
 */
import { expect, test } from '@playwright/test';
import { startLocalWss, type LocalWss } from './support/local-wss';
import { connect, frames, openInspector, saveScreenshot, stateOf } from './support/inspector';
import { startWebHostProcess, type WebHostProcess } from './support/web-host-process';

let host: WebHostProcess;
let wss: LocalWss | undefined;

test.beforeAll(async () => {
  host = await startWebHostProcess();
  wss = await startLocalWss((socket, request) => {
    const played = (request.url ?? '').startsWith('/socket.io/')
      ? ['0{"sid":"s1","upgrades":[],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000}', '40{"sid":"n1"}', '42["chat","hi"]', '42["chat","yo"]']
      : ['{"kind":"price","n":1}', '{"kind":"price","n":2}'];
    for (const text of played) socket.send(text);
  });
});

test.afterAll(async () => {
  await wss?.close();
  await host?.stop();
});

async function searchJsonPath(page: import('@playwright/test').Page, query: string): Promise<void> {
  await page.getByLabel('Search mode').selectOption('jsonpath');
  await page.getByLabel('Search frames').fill(query);
}

test('Socket.IO: "No matches" in JSONPath says to search Decoded, and its button does', async ({ page }) => {
  await openInspector(page, host.url);
  await connect(page, `${wss?.base ?? ''}/socket.io/?EIO=4&transport=websocket`);
  await expect(stateOf(page)).toContainText('open');
  await expect(frames(page).getByRole('row').filter({ hasText: "emit 'chat'" })).toHaveCount(2);
  await searchJsonPath(page, "$.event == 'chat'");
  await expect(page.getByTestId('match-count')).toHaveText('No matches');
  const hint = page.getByTestId('jsonpath-decoded-hint');
  await expect(hint).toHaveText('JSONPath reads each message as sent; to query what the Socket.IO frames say, search Decoded.');
  await saveScreenshot(page, 'jsonpath-decoded-hint');
  await hint.getByRole('button', { name: 'Decoded' }).click();
  await expect(page.getByLabel('Search mode')).toHaveValue('decoded');
  await expect(page.getByLabel('Search frames')).toHaveValue("$.event == 'chat'");
  await expect(page.getByTestId('match-count')).toContainText('of 2');
  await expect(hint).toHaveCount(0);
});

test('plain JSON (no protocol): no pointer to Decoded', async ({ page }) => {
  await openInspector(page, host.url);
  await connect(page, `${wss?.base ?? ''}/json`);
  await expect(stateOf(page)).toContainText('open');
  await expect(frames(page).getByRole('row').filter({ hasText: '"n":2' })).toHaveCount(1);
  await searchJsonPath(page, '$[?(@.kind == "volume")]');
  await expect(page.getByTestId('match-count')).toHaveText('No matches');
  await expect(page.getByTestId('jsonpath-decoded-hint')).toHaveCount(0);
  // A JSONPath that finds something says nothing either.
  await searchJsonPath(page, '$[?(@.kind == "price")]');
  await expect(page.getByTestId('match-count')).toContainText('of 2');
  await expect(page.getByTestId('jsonpath-decoded-hint')).toHaveCount(0);
});

test('plain JSON (no protocol): "No matches" in Decoded says why, and its button searches JSONPath', async ({ page }) => {
  await openInspector(page, host.url);
  await connect(page, `${wss?.base ?? ''}/json`);
  await expect(stateOf(page)).toContainText('open');
  await expect(frames(page).getByRole('row').filter({ hasText: '"n":2' })).toHaveCount(1);
  await page.getByLabel('Search mode').selectOption('decoded');
  await page.getByLabel('Search frames').fill("$.kind == 'price'");
  await expect(page.getByTestId('match-count')).toHaveText('No matches');
  const hint = page.getByTestId('decoded-jsonpath-hint');
  await expect(hint).toHaveText(
    'Nothing in this session is decoded (Auto found no protocol), so a Decoded search matches nothing: choose a protocol under Decode, or to query messages that are JSON as sent, search JSONPath.',
  );
  await saveScreenshot(page, 'decoded-jsonpath-hint');
  await hint.getByRole('button', { name: 'JSONPath' }).click();
  await expect(page.getByLabel('Search mode')).toHaveValue('jsonpath');
  // The query as the JSONPath filter that means the same (util/decoded-as-jsonpath.ts).
  await expect(page.getByLabel('Search frames')).toHaveValue('$[?(@.kind === "price")]');
  await expect(page.getByTestId('match-count')).toContainText('of 2');
  await expect(hint).toHaveCount(0);
  // Decode None says so.
  await page.getByLabel('Decode', { exact: true }).selectOption('none');
  await page.getByLabel('Search mode').selectOption('decoded');
  await page.getByLabel('Search frames').fill("$.kind == 'price'");
  await expect(page.getByTestId('match-count')).toHaveText('No matches');
  await expect(hint).toContainText('(Decode is None)');
});

test('Socket.IO: a Decoded search that finds nothing in a decoded session has no such hint', async ({ page }) => {
  await openInspector(page, host.url);
  await connect(page, `${wss?.base ?? ''}/socket.io/?EIO=4&transport=websocket`);
  await expect(frames(page).getByRole('row').filter({ hasText: "emit 'chat'" })).toHaveCount(2);
  await page.getByLabel('Search mode').selectOption('decoded');
  await page.getByLabel('Search frames').fill("$.event == 'nope'");
  await expect(page.getByTestId('match-count')).toHaveText('No matches');
  await expect(page.getByTestId('decoded-jsonpath-hint')).toHaveCount(0);
});
