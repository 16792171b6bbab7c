/**
 * An exported GraphQL over WebSocket log (NDJSON, as Import log reads it) whose results near its
 * end belong to an operation subscribed in its first frames: connection_init, ack, `subscribe`
 * far-1 (subscription OnFar), then results, every 1,000th from far-1. A frame far from the start
 * decodes as its operation only with every frame before it read (the far-frame and
 * log-keeps-place specs import it).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { openInspector } from './inspector';
import { startWebHostProcess, type WebHostProcess } from './web-host-process';

const T0 = Date.UTC(2026, 11, 5, 12, 0, 0);

export function farGraphqlLog(frames: number): string {
  const at = (seq: number): string => new Date(T0 + seq).toISOString();
  const header = {
    type: 'tunnelscope-session',
    version: 1,
    url: 'ws://api.example/graphql',
    createdAt: at(0),
    exportedAt: at(frames + 1),
    state: 'closed',
    proxy: null,
    handshake: [],
    error: null,
    closed: null,
    framesDropped: 0,
    filter: null,
  };
  const lines = [JSON.stringify(header)];
  const push = (seq: number, dir: 'in' | 'out', text: string): void => {
    lines.push(JSON.stringify({ seq, dir, opcode: 'text', at: at(seq), size: Buffer.byteLength(text), text }));
  };
  push(1, 'out', '{"type":"connection_init"}');
  push(2, 'in', '{"type":"connection_ack"}');
  push(3, 'out', '{"type":"subscribe","id":"far-1","payload":{"query":"subscription OnFar { price }"}}');
  for (let seq = 4; seq <= frames; seq++) {
    const id = seq % 1000 === 0 ? 'far-1' : `s${seq % 50}`;
    push(seq, 'in', `{"type":"next","id":"${id}","payload":{"data":{"price":${seq}}}}`);
  }
  return `${lines.join('\n')}\n`;
}

/** The log written to a file of its own in a fresh temporary folder; `remove` deletes the folder. */
export async function writeFarGraphqlLog(frames: number, name: string): Promise<{ file: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), `tunnelscope-${name}-`));
  const file = path.join(dir, `${name}.ndjson`);
  await writeFile(file, farGraphqlLog(frames));
  return { file, remove: () => rm(dir, { recursive: true, force: true }) };
}

/**
 * For a spec file: a web host and the log, made before its tests and removed after them;
 * `importInto(page)` opens the inspector and imports the log, waiting until all its frames are in.
 */
export function farGraphqlLogInWebHost(frames: number, name: string): { importInto: (page: Page) => Promise<void> } {
  let host: WebHostProcess | undefined;
  let log: { file: string; remove: () => Promise<void> } | undefined;
  test.beforeAll(async () => {
    host = await startWebHostProcess();
    log = await writeFarGraphqlLog(frames, name);
  });
  test.afterAll(async () => {
    await host?.stop();
    await log?.remove();
  });
  return {
    importInto: async (page) => {
      if (!host || !log) throw new Error('the web host or the log was not made (beforeAll failed)');
      await openInspector(page, host.url);
      const choosing = page.waitForEvent('filechooser');
      await page.getByRole('button', { name: 'Import log…' }).click();
      await (await choosing).setFiles(log.file);
      await expect(page.getByRole('region', { name: 'Imported log' })).toContainText(`${frames.toLocaleString('en-US')} frames`, { timeout: 60_000 });
    },
  };
}
