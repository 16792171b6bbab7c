/**
 * The reconnect sends the protocol's opening again, in Chromium through the web host: a tab with
 * the Reconnect row on (send the opening again: on by default) sends a GraphQL connection_init
 * and a subscription to an echo server, which then cuts the connection. After Now, the notice
 * says what went again (the connection_init) and that the subscription waits for connection_ack
 * (an echo server never acknowledges); the log's resent row carries the "resent" mark. The
 * separator says the next attempt started at once (Now), not the planned wait. After a reload
 * (the session adopted from "Not in a tab"), the notice says the same again (session:list
 * carries the report); dismissed, it stays dismissed after the next reload.
 */
import { expect, test } from '@playwright/test';
import { startFlakyServer, type FlakyServer } from '../support/flaky-ws-server';
import { frames, openInspector, saveScreenshot, sendAndSeeEcho, stateOf } from './support/inspector';
import { startWebHostProcess, type WebHostProcess } from './support/web-host-process';

let host: WebHostProcess;
let server: FlakyServer;

test.beforeAll(async () => {
  host = await startWebHostProcess();
  server = await startFlakyServer({ drop: 0, then: 'echo' });
});

test.afterAll(async () => {
  await host?.stop();
  await server?.close();
});

const INIT = '{"type":"connection_init","payload":{"token":"t0p"}}';
/** The log's Preview masks the token (a credential in a connection_init payload). */
const INIT_SHOWN = '{"type":"connection_init","payload":{"token":"***"}}';
const SUBSCRIBE = '{"id":"1","type":"subscribe","payload":{"query":"subscription OnTick { tick }"}}';

test('after a drop, the connection_init goes again, marked resent; the notice says so and what waits', async ({ page }) => {
  await openInspector(page, host.url);
  await page.getByLabel('Proxy', { exact: true }).selectOption('none');
  await page.getByLabel('URL', { exact: true }).fill(`${server.url}/graphql`);
  await page.getByRole('button', { name: /^Connection options:/ }).click();
  await page.getByTestId('reconnect-on').check();
  await expect(page.getByTestId('reconnect-resend')).toBeChecked();
  await expect(page.getByTestId('reconnect-resend-subscriptions')).toBeChecked();
  await page.getByLabel('First wait before reconnecting, seconds').fill('30');
  await page.getByLabel('Longest wait before reconnecting, seconds').fill('60');
  await saveScreenshot(page, 'reconnect-resend-settings');
  await page.getByRole('button', { name: 'Connect', exact: true }).click();
  await expect(stateOf(page)).toContainText('open');
  await sendAndSeeEcho(page, INIT, INIT_SHOWN);
  await sendAndSeeEcho(page, SUBSCRIBE);

  server.cutAll();
  const notice = page.getByTestId('reconnect-notice');
  await expect(notice).toContainText('Retrying in');
  await notice.getByRole('button', { name: 'Reconnect now' }).click();
  await expect(stateOf(page)).toContainText('open');

  const resent = page.getByTestId('resent-notice');
  await expect(resent).toContainText('Reconnected (attempt 2) — sent again: GraphQL connection_init');
  await expect(resent).toContainText('1 subscription waits for connection_ack');
  // The connection_init three times in the log: sent, echoed, sent again (marked) — and its echo.
  await expect(frames(page).getByRole('row').filter({ hasText: 'connection_init' })).toHaveCount(4);
  await expect(frames(page).getByRole('row').filter({ hasText: 'resent' })).toHaveCount(1);
  await saveScreenshot(page, 'reconnect-resent');
  // The separator says what happened: Now, not the 30 s wait planned.
  const separator = page.getByTestId('attempt-separator');
  await expect(separator).toContainText('attempt 1 CONNECTION_LOST · next at once (Now)');
  await expect(separator.getByRole('gridcell')).toHaveAttribute('title', /reconnect 1 at once \(Now, \d+\.\d s into the \d+\.\d s wait\)/);
  await saveScreenshot(page, 'reconnect-separator-after-now');

  // A reload: the page adopts its session again and the notice says what was sent again.
  await page.reload();
  const row = page.getByRole('list', { name: 'Sessions not in a tab' }).getByRole('listitem').filter({ hasText: '/graphql' });
  await row.getByRole('button', { name: /^Adopt / }).click();
  const again = page.getByTestId('resent-notice');
  await expect(again).toContainText('Reconnected (attempt 2) — sent again: GraphQL connection_init');
  await expect(again).toContainText('1 subscription waits for connection_ack');
  await expect(page.getByTestId('reconnect-notice')).toHaveCount(0);
  await expect(page.getByTestId('attempt-separator')).toContainText('next at once (Now)');
  await saveScreenshot(page, 'reconnect-resent-after-reload');
  await again.getByRole('button', { name: 'Dismiss what was sent again' }).click();
  await expect(again).toHaveCount(0);

  // Dismissed, it stays dismissed after another reload (session:list still carries the report).
  await page.reload();
  await page.getByRole('list', { name: 'Sessions not in a tab' }).getByRole('listitem').filter({ hasText: '/graphql' }).getByRole('button', { name: /^Adopt / }).click();
  await expect(page.getByTestId('attempt-separator')).toContainText('next at once (Now)');
  await expect(page.getByTestId('resent-notice')).toHaveCount(0);
  await saveScreenshot(page, 'reconnect-resent-dismissed-after-reload');
});
