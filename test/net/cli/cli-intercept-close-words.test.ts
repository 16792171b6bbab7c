/**
 * `tunnelscope intercept` (in process, a real engine, 127.0.0.1): the end line names who began
 * the close in intercept's terms: the intercepted application, the server, or you through a
 * `close` command (to either side). The engine's own word, "client", meant our side of the
 * session, so `close <id> server 4000 bye` used to end "(closed by the client)". And a relayed
 * plain-HTTP request that got no answer prints "—" for its body, as the app's table does, not
 * "- B".
 */
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { HttpsProxyAgent } from 'https-proxy-agent';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { runIntercept } from '../../../src-main/cli/intercept-command';
import { parseCommandLine } from '../../../src-main/cli/parse-args';
import { Engine } from '../../../src-main/core/engine';
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
  upstream = await startInterceptCommandUpstream('close');
  ({ dataDir, pems, echo } = upstream);
});

afterAll(() => upstream.close());

/** A port nothing listens on (bound, then let go). */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

describe('tunnelscope intercept: who closed, and a bodiless HTTP answer', { timeout: 60_000 }, () => {
  it('names the application, the server, or you (close … server / client); "—" for no body', async () => {
    const streams = fakeIo();
    streams.env = { TUNNELSCOPE_SECRET_STORE: 'keyfile', NO_COLOR: '1' };
    const command = parseCommandLine(['intercept', '--port', '0', '--upstream', 'none', '--ca', pems.path('upstream-ca.pem'), '--data-dir', dataDir]);
    if (command.kind !== 'intercept' || command.action !== 'run') throw new Error('not an intercept run');
    const engine = new Engine({ host: 'cli', version: 'test', env: streams.env, profiles: { dataDir } });
    const exit = runIntercept(command, engine, dataDir, streams);
    const endLines = (): string[] => streams.stdoutText().split('\n').filter((line) => / closed /.test(line));
    try {
      const proxyUrl = await waitUntil('listening', () => /Intercepting on (\S+) /.exec(streams.stderrText())?.[1]);
      const caPem = (JSON.parse(fs.readFileSync(path.join(dataDir, 'intercept-ca.json'), 'utf8')) as { certPem: string }).certPem;

      /** One connection through the proxy, open and relaying, with its 8-character id. */
      const connect = async (): Promise<{ client: WebSocket; id: string }> => {
        const relaying = streams.stdoutText().split('\n').filter((line) => / relaying/.test(line)).length;
        const client = new WebSocket(`${echo.url}/close-words`, { agent: new HttpsProxyAgent(proxyUrl), ca: caPem, perMessageDeflate: false });
        await new Promise<void>((resolve, reject) => {
          client.once('open', () => resolve());
          client.once('error', reject);
        });
        const line = await waitUntil('relaying', () => streams.stdoutText().split('\n').filter((l) => / relaying/.test(l))[relaying]);
        const id = /^\s+([0-9a-f]{8}) relaying/.exec(line)?.[1];
        if (id === undefined) throw new Error(`no id in ${line}`);
        return { client, id };
      };
      const ended = (id: string): Promise<string> => waitUntil(`${id} closed`, () => endLines().find((line) => line.includes(`${id} closed `)));

      // The application closes.
      const app = await connect();
      app.client.close(4001, 'app bye');
      expect(await ended(app.id)).toBe(`  ${app.id} closed 4001 app bye (closed by the application)`);

      // The server closes.
      const byServer = await connect();
      const serverSide = [...echo.sockets].at(-1);
      serverSide?.close(4002, 'server bye');
      expect(await ended(byServer.id)).toBe(`  ${byServer.id} closed 4002 server bye (closed by the server)`);

      // You close the server's side: the client then gets the same code.
      const toServer = await connect();
      const clientGot = new Promise<number>((resolve) => toServer.client.once('close', (code: number) => resolve(code)));
      streams.stdinStream.write(`close ${toServer.id} server 4000 bye\n`);
      expect(await ended(toServer.id)).toBe(`  ${toServer.id} closed 4000 bye (closed by you through intercept, sent to the server)`);
      expect(await clientGot).toBe(4000);

      // You close the client's side: its answer is not the application's own close.
      const toClient = await connect();
      streams.stdinStream.write(`close ${toClient.id} client 4003 cbye\n`);
      expect(await ended(toClient.id)).toBe(`  ${toClient.id} closed 4003 cbye (closed by you through intercept, sent to the client)`);

      // A plain-HTTP request relayed to a port nobody listens on: 502 and no body.
      const port = await closedPort();
      const proxy = new URL(proxyUrl);
      const status = await new Promise<number>((resolve, reject) => {
        const request = http.request({ host: proxy.hostname, port: Number(proxy.port), method: 'GET', path: `http://127.0.0.1:${port}/nothing` }, (response) => {
          response.resume();
          resolve(response.statusCode ?? 0);
        });
        request.once('error', reject);
        request.end();
      });
      expect(status).toBe(502);
      const httpLine = await waitUntil('the http line', () => streams.stdoutText().split('\n').find((line) => line.includes(`GET 127.0.0.1:${port}/nothing`)));
      expect(httpLine).toMatch(new RegExp(`^  GET 127\\.0\\.0\\.1:${port}/nothing 502 — \\d+ ms \\(`));
      expect(httpLine).not.toContain(' - B ');
    } finally {
      streams.interrupt();
      expect(await exit).toBe(0);
      await engine.dispose();
    }
  });
});
