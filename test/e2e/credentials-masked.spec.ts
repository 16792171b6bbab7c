/**
 * A STOMP CONNECT's passcode is nowhere in the page's visible text (QA: the Text view and the
 * log's Preview showed it) until Show credentials is pressed in the detail pane, and then only
 * there: the log's row keeps it masked. A `ws` server on 127.0.0.1 (port 0) stands for the
 * broker, v12.stomp agreed, and answers CONNECTED. A text search for the passcode finds the frame
 * (the search reads the real bytes) while its row shows it masked. Screenshots:
 * test-results/screenshots/credentials-masked-{hidden,revealed,search}.png.
 */
import { expect, test, type Page } from '@playwright/test';
import { startLocalWss, type LocalWss } from './support/local-wss';
import { connect, frames, openInspector, saveScreenshot, stateOf } from './support/inspector';
import { startWebHostProcess, type WebHostProcess } from './support/web-host-process';

const PASSCODE = 'Zq7-secret-pass';
const CONNECT = `CONNECT\naccept-version:1.2\nhost:/\nlogin:guest\npasscode:${PASSCODE}\n\n\0`;

let host: WebHostProcess;
let wss: LocalWss | undefined;

test.beforeAll(async () => {
  host = await startWebHostProcess();
  // ws chooses the first subprotocol asked for (v12.stomp).
  wss = await startLocalWss((socket) => {
    socket.on('message', (data) => {
      if (String(data).startsWith('CONNECT')) socket.send('CONNECTED\nversion:1.2\nheart-beat:0,0\n\n\0');
    });
  });
});

test.afterAll(async () => {
  await wss?.close();
  await host?.stop();
});

/** What a viewer of the screen can read (innerText: what is rendered, not hidden nodes or input values). */
function visibleText(page: Page): Promise<string> {
  return page.locator('body').innerText();
}

test('the passcode is masked in the log and the detail pane until Show credentials', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await openInspector(page, host.url);
  await page.getByRole('button', { name: /^Connection options/ }).click();
  await page.getByLabel('Subprotocols', { exact: true }).fill('v12.stomp');
  await connect(page, `${wss?.base ?? ''}/stomp`);
  await expect(stateOf(page)).toContainText('open');
  const message = page.getByLabel('Message', { exact: true });
  await message.fill(CONNECT);
  await page.getByRole('button', { name: 'Send', exact: true }).click();
  await expect(frames(page).getByRole('row').filter({ hasText: 'CONNECTED' }).first()).toBeVisible();
  // What the user typed is theirs to clear: the log and the pane are what this is about.
  await message.fill('');

  const sent = frames(page).getByRole('row').filter({ hasText: 'login:guest' }).first();
  await expect(sent).toContainText('passcode:***************');
  await sent.click();
  const masked = page.getByTestId('credentials-note');
  await expect(masked).toContainText('Credentials masked with * (passcode)');
  await expect(page.locator('.panel')).toContainText('passcode:***************');
  expect(await visibleText(page)).not.toContain(PASSCODE);
  // The Hex view too: the passcode's bytes are not in the dump.
  await page.getByRole('tab', { name: 'Hex', exact: true }).click();
  await expect(page.locator('.panel')).toBeVisible();
  expect(await visibleText(page)).not.toContain(PASSCODE);
  expect(await page.locator('.panel').innerText()).not.toContain('5a 71 37 2d 73 65');
  await page.getByRole('tab', { name: 'Text', exact: true }).click();
  await saveScreenshot(page, 'credentials-masked-hidden');

  await page.getByRole('button', { name: 'Show credentials', exact: true }).click();
  await expect(page.locator('.panel')).toContainText(`passcode:${PASSCODE}`);
  await expect(masked).toContainText('Credentials shown (passcode) for this frame only');
  // The log's row stays masked while the pane shows them.
  await expect(sent).toContainText('passcode:***************');
  await expect(sent).not.toContainText(PASSCODE);
  await saveScreenshot(page, 'credentials-masked-revealed');

  await page.getByRole('button', { name: 'Hide credentials', exact: true }).click();
  await expect(page.locator('.panel')).toContainText('passcode:***************');
  expect(await visibleText(page)).not.toContain(PASSCODE);

  // A text search for the passcode finds the frame: its row shows it masked.
  const box = page.getByLabel('Search frames', { exact: true });
  await box.fill(PASSCODE);
  await box.press('Enter');
  await expect(page.getByTestId('match-count')).toHaveText(/of 1$/);
  await expect(sent).toContainText('passcode:***************');
  // Only the active filter's chip shows it, echoing the query the user typed; the log and the pane do not.
  const occurrences = (text: string): number => text.split(PASSCODE).length - 1;
  const chips = page.getByRole('list', { name: 'Active filters' });
  await expect(chips).toContainText(PASSCODE);
  expect(occurrences(await visibleText(page))).toBe(occurrences(await chips.innerText()));
  expect(await frames(page).innerText()).not.toContain(PASSCODE);
  expect(await page.locator('.panel').innerText()).not.toContain(PASSCODE);
  await saveScreenshot(page, 'credentials-masked-search');
});
