/**
 * A profile's Protocol Buffers schema and type rules (issue 14), in Chromium through the web host:
 * in the profile editor, Decode set to Protocol Buffers shows Schema…; chat.proto is picked (read
 * in the page, compiled by the engine), chat.Event chosen as the message type and a rule added
 * (↓ in, first byte 0x08 → chat.Reply); a .proto that does not parse is said with its line and
 * the profile cannot be saved; fixed, it saves. A tab opened from the profile connects to a `ws`
 * server on 127.0.0.1 that sends a Reply (first byte 0x08) and an Event (0x0a), and the log reads
 * each as its rule says. Screenshots at 1280×800 and 1920×1080: test-results/screenshots/profile-protobuf-*.png.
 */
import { expect, test, type Page } from '@playwright/test';
import { CHAT_PROTO, chatMessage } from '../support/protobuf-chat';
import { frames, openInspector, saveScreenshot, stateOf } from './support/inspector';
import { startGreetingServer, type GreetingServer } from './support/greeting-server';
import { startWebHostProcess, type WebHostProcess } from './support/web-host-process';

let host: WebHostProcess;
let server: GreetingServer | undefined;
let url: string;

test.beforeAll(async () => {
  host = await startWebHostProcess();
  server = await startGreetingServer('/chat', [chatMessage('chat.Reply', { code: 200, note: 'ok' }), chatMessage('chat.Event', { topic: 'prices' })]);
  url = server.url;
});

test.afterAll(async () => {
  await host?.stop();
  await server?.close();
});

async function pickSchema(page: Page, name: string, text: string): Promise<void> {
  await page.getByRole('dialog').getByLabel('Protocol Buffers schema file').setInputFiles({ name, mimeType: 'text/plain', buffer: Buffer.from(text) });
}

test('the profile editor picks a schema, a message type and a type rule; a tab from the profile decodes by them', async ({ page }) => {
  await openInspector(page, host.url);
  await page.getByRole('button', { name: 'New profile', exact: true }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Name', { exact: true }).fill('chat feed');
  await dialog.getByLabel('URL', { exact: true }).fill(url);
  await dialog.getByLabel('Mode', { exact: true }).selectOption('none');
  await dialog.getByLabel('Decode', { exact: true }).selectOption('protobuf');
  const rows = dialog.getByTestId('profile-protobuf');
  await expect(rows.getByRole('button', { name: 'Schema…' })).toBeVisible();
  await expect(dialog.getByTestId('profile-protobuf-name')).toHaveText('none: messages read by field number');

  // A broken .proto: its line, and no save.
  await pickSchema(page, 'chat.proto', 'syntax = "proto3";\nmessage X {\n  string a = ;\n}');
  await expect(dialog.getByTestId('profile-protobuf-problem')).toHaveText("✖ chat.proto: illegal id ';' (line 3)");
  await dialog.getByRole('button', { name: 'Save profile', exact: true }).click();
  await expect(dialog).toBeVisible();
  await dialog.getByTestId('profile-protobuf-problem').scrollIntoViewIfNeeded();
  await saveScreenshot(page, 'profile-protobuf-error');

  await pickSchema(page, 'chat.proto', CHAT_PROTO);
  await expect(dialog.getByTestId('profile-protobuf-problem')).toHaveCount(0);
  const type = dialog.getByTestId('profile-protobuf-type');
  await expect(type.locator('option')).toHaveText(['none: read without a schema', 'chat.Request', 'chat.Reply', 'chat.Event']);
  await type.selectOption('chat.Event');
  await dialog.getByTestId('profile-protobuf-add-rule').click();
  await dialog.getByLabel('Rule 1: direction').selectOption('in');
  await dialog.getByLabel('Rule 1: first byte').fill('0x08');
  await dialog.getByLabel('Rule 1: message type').selectOption('chat.Reply');
  await dialog.getByTestId('profile-protobuf-add-rule').click();
  await dialog.getByLabel('Rule 2: direction').selectOption('out');
  await dialog.getByLabel('Rule 2: message type').selectOption('chat.Request');
  await expect(dialog.getByTestId('profile-protobuf-rule-problem')).toHaveCount(0);
  await dialog.getByTestId('profile-protobuf-rules').scrollIntoViewIfNeeded();
  await saveScreenshot(page, 'profile-protobuf-rules');
  await page.setViewportSize({ width: 1920, height: 1080 });
  await dialog.getByTestId('profile-protobuf-rules').scrollIntoViewIfNeeded();
  await saveScreenshot(page, 'profile-protobuf-rules-1920');
  await page.setViewportSize({ width: 1280, height: 800 });

  // A first byte that is not one is said at its rule.
  await dialog.getByLabel('Rule 1: first byte').fill('0x1ff');
  await dialog.getByRole('button', { name: 'Save profile', exact: true }).click();
  await expect(dialog.getByTestId('profile-protobuf-rule-problem')).toHaveText('✖ rule 1: "0x1ff" is not a byte: 0x00 to 0xff, or 0 to 255');
  await dialog.getByLabel('Rule 1: first byte').fill('0x08');
  await dialog.getByRole('button', { name: 'Save profile', exact: true }).click();
  await expect(dialog).toBeHidden();

  // A tab from the profile: each message read with the type its rule gives.
  await page.getByRole('list', { name: 'Profiles', exact: true }).getByRole('button', { name: /^chat feed( |$)/ }).click();
  await page.getByRole('button', { name: 'Connect', exact: true }).click();
  await expect(stateOf(page)).toContainText(/open|closed/i);
  const summaries = frames(page).locator('[role="row"]:not(.placeholder):not(.head) .c-summary');
  await expect(summaries.filter({ hasText: 'chat.Reply' })).toHaveCount(1);
  await expect(summaries.filter({ hasText: 'chat.Event' })).toHaveCount(1);
  await expect(page.getByTestId('protobuf-schema-label')).toHaveText('protobuf: chat.proto#chat.Event + 2 type rules');
  await saveScreenshot(page, 'profile-protobuf-tab');
});
