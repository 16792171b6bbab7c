/**
 * A Protocol Buffers schema chosen in the app (issue 14), in Chromium through the web host at
 * 1280×800: a `ws` server on 127.0.0.1 sends one binary shop.Order; with Decode set to Protocol
 * Buffers the log reads it schema-less (field numbers); "Schema…" takes orders.proto (read in
 * the page, compiled by the engine), the message type is picked from the types found, and the
 * row reads with field names; a .proto that does not parse is said in place with its line.
 * Screenshots: test-results/screenshots/protobuf-schema-*.png.
 */
import { expect, test, type Locator, type Page } from '@playwright/test';
import protobuf from 'protobufjs';
import { connect, frames, openInspector, saveScreenshot, stateOf } from './support/inspector';
import { startGreetingServer, type GreetingServer } from './support/greeting-server';
import { startWebHostProcess, type WebHostProcess } from './support/web-host-process';

const ORDERS = 'syntax = "proto3";\npackage shop;\nmessage Order {\n  string id = 1;\n  uint32 quantity = 2;\n  Item item = 3;\n}\nmessage Item { string sku = 1; }\n';
const Order = protobuf.parse(ORDERS, { keepCase: true }).root.lookupType('shop.Order');

let host: WebHostProcess;
let server: GreetingServer | undefined;
let url: string;

test.beforeAll(async () => {
  host = await startWebHostProcess();
  server = await startGreetingServer('/orders', [Order.encode(Order.create({ id: 'o-7', quantity: 3, item: { sku: 'A1' } })).finish()]);
  url = server.url;
});

test.afterAll(async () => {
  await host?.stop();
  await server?.close();
});

function summaries(page: Page): Locator {
  return frames(page).locator('[role="row"]:not(.placeholder):not(.head) .c-summary');
}

test('a .proto and a message type turn field numbers into names; a broken .proto is said with its line', async ({ page }) => {
  await openInspector(page, host.url);
  await connect(page, url);
  await expect(stateOf(page)).toContainText('open');
  await page.getByLabel('Decode', { exact: true }).selectOption('protobuf');
  await expect(summaries(page).first()).toHaveText('no schema: fields 1:string, 2:varint, 3:message');
  const control = page.getByTestId('protobuf-schema');
  await expect(control.getByRole('button', { name: 'Schema…' })).toBeVisible();
  await expect(page.getByTestId('protobuf-schema-label')).toHaveText('no schema: field numbers');

  await control.getByLabel('Protocol Buffers schema file').setInputFiles({ name: 'orders.proto', mimeType: 'text/plain', buffer: Buffer.from(ORDERS) });
  const types = control.getByLabel('Message type');
  await expect(types.locator('option:not([disabled])')).toHaveText(['shop.Order', 'shop.Item']);
  await types.selectOption('shop.Order');
  await expect(page.getByTestId('protobuf-schema-label')).toHaveText('protobuf: orders.proto#shop.Order');
  await expect(summaries(page).first()).toContainText('shop.Order');
  await saveScreenshot(page, 'protobuf-schema-chosen');

  await frames(page).locator('[role="row"]').filter({ hasText: 'shop.Order' }).first().click();
  await expect(page.getByTestId('decoded-frame')).toContainText('"sku"');

  await control.getByLabel('Protocol Buffers schema file').setInputFiles({ name: 'broken.proto', mimeType: 'text/plain', buffer: Buffer.from('syntax = "proto3";\nmessage X {\n  string a = ;\n}') });
  await expect(page.getByTestId('protobuf-schema-error')).toHaveText("broken.proto: illegal id ';' (line 3)");
  await expect(page.getByTestId('protobuf-schema-label')).toHaveText('protobuf: orders.proto#shop.Order');
  await saveScreenshot(page, 'protobuf-schema-error');
});
