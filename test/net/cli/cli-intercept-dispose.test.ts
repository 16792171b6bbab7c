/**
 * `tunnelscope intercept` (in process, with a real engine) gives a captured session back once
 * its end is printed: the session is disposed (nothing in the CLI reads it again), its payload
 * slabs go to the slab pool for the next connection, and everything it captured was printed
 * first. A session still open is kept.
 */
import fs from 'node:fs';
import { HttpsProxyAgent } from 'https-proxy-agent';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { runIntercept } from '../../../src-main/cli/intercept-command';
import { parseCommandLine } from '../../../src-main/cli/parse-args';
import { Engine } from '../../../src-main/core/engine';
import { SLAB_BYTES, slabPool } from '../../../src-main/core/session/slab-pool';
import type { EngineEvent } from '../../../src-main/shared/events';
import type { PemDir } from '../../support/certs';
import type { EchoServer } from '../../support/echo-server';
import { startInterceptCommandUpstream, type InterceptCommandUpstream } from '../../support/intercept-command-upstream';
import { waitUntil } from '../../support/wait-until';
import { fakeIo } from '../../unit/cli/fake-engine';

let dataDir: string;
let pems: PemDir;
let echo: EchoServer;

let upstream: InterceptCommandUpstream;

beforeAll(async () => {
  upstream = await startInterceptCommandUpstream('dispose');
  ({ dataDir, pems, echo } = upstream);
});

afterAll(() => upstream.close());

function jsonLines(text: string): Record<string, unknown>[] {
  return text
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

async function openClient(proxyUrl: string, caPem: string, pathName: string): Promise<WebSocket> {
  const client = new WebSocket(`${echo.url}/${pathName}`, { agent: new HttpsProxyAgent(proxyUrl), ca: caPem, perMessageDeflate: false });
  await new Promise<void>((resolve, reject) => {
    client.once('open', () => resolve());
    client.once('error', reject);
  });
  return client;
}

/** Sends each message and waits for its echo. */
async function echoAll(client: WebSocket, messages: string[]): Promise<void> {
  for (const message of messages) {
    const back = new Promise<string>((resolve) => client.once('message', (data: Buffer) => resolve(data.toString('latin1'))));
    client.send(message);
    expect((await back).length).toBe(message.length);
  }
}

describe('tunnelscope intercept: a captured session once it ended', { timeout: 60_000 }, () => {
  it('is disposed after its frames and its end are printed, its full slabs pooled; an open one is kept', async () => {
    const streams = fakeIo();
    streams.env = { TUNNELSCOPE_SECRET_STORE: 'keyfile', NO_COLOR: '1' };
    const command = parseCommandLine(['intercept', '--json', '--port', '0', '--upstream', 'none', '--ca', pems.path('upstream-ca.pem'), '--data-dir', dataDir]);
    if (command.kind !== 'intercept' || command.action !== 'run') throw new Error('not an intercept run');
    const engine = new Engine({ host: 'cli', version: 'test', env: streams.env, profiles: { dataDir } });
    const removed: string[] = [];
    const stopListening = engine.onEvent((event: EngineEvent) => {
      if (event.type === 'session-removed') removed.push(event.sessionId);
    });
    const exit = runIntercept(command, engine, dataDir, streams);
    try {
      const listening = await waitUntil('the listening line', () => jsonLines(streams.stdoutText()).find((l) => l.type === 'listening'));
      const proxyUrl = String(listening.url);
      const caFile = (listening.ca as { file: string }).file;
      const caPem = (JSON.parse(fs.readFileSync(caFile, 'utf8')) as { certPem: string }).certPem;

      const kept = await openClient(proxyUrl, caPem, 'kept');
      const ending = await openClient(proxyUrl, caPem, 'ending');
      // 12 × 200 KB each way (each under the size that gets a slab of its own): more than two
      // full 1 MiB slabs, which go to the pool when the store is released.
      const big = 'x'.repeat(200 * 1024);
      await echoAll(ending, Array.from({ length: 12 }, () => big));
      await echoAll(kept, ['still here']);
      const sessions = jsonLines(streams.stdoutText()).filter((l) => l.type === 'session');
      const endingId = String(sessions.find((l) => String(l.url).endsWith('/ending'))?.session);
      const keptId = String(sessions.find((l) => String(l.url).endsWith('/kept'))?.session);
      const pooledBefore = slabPool.pooledBytes;

      ending.close(1000);
      await waitUntil('the ending session removed', () => removed.includes(endingId));
      const lines = jsonLines(streams.stdoutText());
      // Everything it captured was printed before it went: 24 frames, each way in turn, and its end.
      expect(lines.filter((l) => l.type === 'frame' && l.session === endingId && l.opcode === 'text').map((l) => [l.dir, l.size])).toEqual(
        Array.from({ length: 24 }, (_, i) => [i % 2 === 0 ? 'out' : 'in', big.length]),
      );
      expect(lines.find((l) => l.type === 'closed' && l.session === endingId)).toMatchObject({ code: 1000 });
      expect(slabPool.pooledBytes - pooledBefore).toBeGreaterThanOrEqual(2 * SLAB_BYTES);
      const listed = await engine.call('session:list', {});
      if (!listed.ok) throw new Error(listed.error.message);
      expect(listed.value.map((session) => session.sessionId)).toEqual([keptId]);
      expect(removed).toEqual([endingId]);

      // The open one still relays and records.
      await echoAll(kept, ['and still']);
      kept.close(1000);
      await waitUntil('the kept session removed', () => removed.includes(keptId));
    } finally {
      streams.interrupt();
      expect(await exit).toBe(0);
      stopListening();
      await engine.dispose();
    }
  });
});
