/**
 * The detail pane's conversation across a reconnect, in Chromium through the web host: an
 * imported GraphQL log of two attempts where operation id 1 comes back in attempt 2. Its first
 * `next` there (#7) has no request in attempt 2: no latency (was "+4.00 s", timed from attempt 1's
 * subscribe), a dash whose tooltip and a note say the request is in attempt 1; the list marks
 * where attempt 2 starts; #9 (a `complete`, an answer) is timed from attempt 2's own subscribe (#8);
 * a `next` is a stream item, never timed as a latency (#4). The log agrees (#7 has no arrow). Screenshot: test-results/screenshots/conversation-attempts.png.
 */
import { expect, test, type Page } from '@playwright/test';
import { frames, openInspector, saveScreenshot, stateOf } from './support/inspector';
import { startWebHostProcess, type WebHostProcess } from './support/web-host-process';

let host: WebHostProcess;

test.beforeAll(async () => {
  host = await startWebHostProcess();
});

test.afterAll(async () => {
  await host?.stop();
});

const T0 = Date.parse('2026-12-06T19:10:00.000Z');

/** Two attempts: #1..#4 (subscribe 1 and a result), then #5..#9 (a `next` for 1 before any subscribe, then subscribe 1 again, completed). */
function twoAttemptLog(): Buffer {
  const texts: { dir: 'in' | 'out'; text: string }[] = [
    { dir: 'out', text: '{"type":"connection_init"}' },
    { dir: 'in', text: '{"type":"connection_ack"}' },
    { dir: 'out', text: '{"id":"1","type":"subscribe","payload":{"query":"subscription OnPrice { price }"}}' },
    { dir: 'in', text: '{"id":"1","type":"next","payload":{"data":{"price":3}}}' },
    { dir: 'out', text: '{"type":"connection_init"}' },
    { dir: 'in', text: '{"type":"connection_ack"}' },
    { dir: 'in', text: '{"id":"1","type":"next","payload":{"data":{"price":4}}}' },
    { dir: 'out', text: '{"id":"1","type":"subscribe","payload":{"query":"subscription OnPrice { price }"}}' },
    { dir: 'in', text: '{"id":"1","type":"complete"}' },
  ];
  const header = {
    type: 'tunnelscope-session',
    version: 1,
    url: 'ws://127.0.0.1:5240/graphql',
    createdAt: '2026-12-06T19:10:00.000Z',
    exportedAt: '2026-12-06T19:10:09.000Z',
    state: 'open',
    proxy: null,
    handshake: [],
    error: null,
    closed: null,
    framesDropped: 0,
    filter: null,
    attempts: [
      {
        attempt: 1,
        startedAt: T0,
        endedAt: T0 + 3500,
        afterSeq: 4,
        outcome: { kind: 'failed', opened: true, code: null, reason: '', initiatedBy: 'none' },
        next: { attempt: 2, retry: 1, maxRetries: 5, waitMs: 500, at: T0 + 4000 },
      },
    ],
  };
  const lines = texts.map((f, i) => JSON.stringify({ seq: i + 1, dir: f.dir, opcode: 'text', at: new Date(T0 + i * 1000).toISOString(), size: Buffer.byteLength(f.text), text: f.text }));
  return Buffer.from([JSON.stringify(header), ...lines].join('\n') + '\n');
}

async function importLog(page: Page, name: string, content: Buffer): Promise<void> {
  const choosing = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Import log…' }).click();
  await (await choosing).setFiles({ name, mimeType: 'application/x-ndjson', buffer: content });
  await expect(page.locator('.strip .tab.active')).toContainText(name);
  await expect(stateOf(page)).toContainText('imported');
}

test('an answer whose only request is in an earlier attempt: no latency, the request\'s attempt said', async ({ page }) => {
  await openInspector(page, host.url);
  await importLog(page, 'two-attempts.ndjson', twoAttemptLog());
  const row = (seq: number) => frames(page).locator('[role="row"]:not(.placeholder):not(.head)').filter({ has: page.locator('.c-seq', { hasText: new RegExp(`^${seq}$`) }) });
  await expect(row(9)).toHaveCount(1);
  // The log agrees: #7 answers nothing it can link to (no arrow), #9 answers #8.
  await expect(row(7).locator('.c-summary')).not.toContainText('↩');
  await expect(row(9).locator('.c-summary')).toContainText('↩');
  await row(7).click();
  const conversation = page.getByTestId('conversation');
  await expect(conversation).toContainText('Conversation: operation 1');
  await expect(conversation.getByTestId('conversation-attempt')).toHaveText('attempt 2 (reconnected: a new connection)');
  await expect(conversation.getByTestId('conversation-request-elsewhere')).toContainText('Request in attempt 1 (#3); no latency across a reconnect');
  const latencies = conversation.getByTestId('latency');
  // #4 is a stream item (a `next`): no latency, its time since the subscribe on its role's tooltip.
  await expect(latencies).toHaveText(['', '', '—', '', '+1.00 s']);
  await expect(conversation.locator('.role').nth(1)).toHaveAttribute('title', /^1\.00 s since the request: a stream item/);
  await expect(latencies.nth(2)).toHaveAttribute('title', 'request in attempt 1 (#3); no latency across a reconnect');
  await saveScreenshot(page, 'conversation-attempts');
});
