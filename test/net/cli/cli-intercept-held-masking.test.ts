/**
 * `tunnelscope intercept --break…` (in process, with a real engine) prints a held message's
 * preview with the credentials in it masked, as frame lines show them: the `paused` line (human
 * and --json) and the `held` command's list. A client through the proxy to a wss:// echo server
 * sends a STOMP CONNECT with a passcode, an MQTT CONNECT with a password (binary: a hex preview),
 * a GraphQL connection_init with a token and a Socket.IO CONNECT with an auth token, each held,
 * listed and forwarded in turn, then a held message with no credential, printed as it is.
 * (One session carries all four, which no real client does: the frame lines, which mask as the
 * session's protocol, are not what is looked at here.)
 */
import fs from 'node:fs';
import path from 'node:path';
import { HttpsProxyAgent } from 'https-proxy-agent';
import mqtt from 'mqtt-packet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { runIntercept } from '../../../src-main/cli/intercept-command';
import { parseCommandLine } from '../../../src-main/cli/parse-args';
import { printable } from '../../../src-main/cli/terminal-text';
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
  upstream = await startInterceptCommandUpstream('held');
  ({ dataDir, pems, echo } = upstream);
});

afterAll(() => upstream.close());

const SECRETS = ['Stomp-Held-Pc1', 'Mqtt-Held-Pw2', 'Gql-Held-Tok3', 'Sio-Held-Tk4'];
const stars = (secret: string): string => '*'.repeat(secret.length);
const mqttConnect = (password: string): Buffer => mqtt.generate({ cmd: 'connect', protocolId: 'MQTT', protocolVersion: 4, clientId: 'c1', username: 'alice', password: Buffer.from(password), keepalive: 0, clean: true });

interface Held {
  opcode: 'text' | 'binary';
  sent: Buffer;
  /** The preview printed: the payload's start (text; binary in hex) with each secret byte a '*'. */
  preview: string;
}

const text = (sent: string, masked: string): Held => ({ opcode: 'text', sent: Buffer.from(sent), preview: masked });
const HELD: readonly Held[] = [
  text(`CONNECT\naccept-version:1.2\nlogin:guest\npasscode:${SECRETS[0]}\n\n\0`, `CONNECT\naccept-version:1.2\nlogin:guest\npasscode:${stars(SECRETS[0] ?? '')}\n\n\0`),
  { opcode: 'binary', sent: mqttConnect(SECRETS[1] ?? ''), preview: mqttConnect(stars(SECRETS[1] ?? '')).toString('hex') },
  text(`{"type":"connection_init","payload":{"user":"bob","authToken":"${SECRETS[2]}"}}`, `{"type":"connection_init","payload":{"user":"bob","authToken":"${stars(SECRETS[2] ?? '')}"}}`),
  text(`40{"token":"${SECRETS[3]}","room":"r1"}`, `40{"token":"${stars(SECRETS[3] ?? '')}","room":"r1"}`),
  text('hold passcode:visible-word', 'hold passcode:visible-word'),
];

function jsonLines(out: string): Record<string, unknown>[] {
  return out
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

async function run(json: boolean): Promise<{ out: string; err: string }> {
  const streams = fakeIo();
  streams.env = { TUNNELSCOPE_SECRET_STORE: 'keyfile', NO_COLOR: '1' };
  const args = ['intercept', ...(json ? ['--json'] : []), '--port', '0', '--upstream', 'none', '--ca', pems.path('upstream-ca.pem'), '--data-dir', dataDir, '--break-regex', 'out:passcode|MQTT|connection_init|^40\\{'];
  const command = parseCommandLine(args);
  if (command.kind !== 'intercept' || command.action !== 'run') throw new Error('not an intercept run');
  const engine = new Engine({ host: 'cli', version: 'test', env: streams.env, profiles: { dataDir } });
  const exit = runIntercept(command, engine, dataDir, streams);
  try {
    const listened = await waitUntil('listening', () => (json ? jsonLines(streams.stdoutText()).find((l) => l.type === 'listening')?.url : /Intercepting on (\S+) /.exec(streams.stderrText())?.[1]));
    const caFile = path.join(dataDir, 'intercept-ca.json');
    const caPem = (JSON.parse(fs.readFileSync(caFile, 'utf8')) as { certPem: string }).certPem;
    const client = new WebSocket(`${echo.url}/held`, { agent: new HttpsProxyAgent(String(listened)), ca: caPem, perMessageDeflate: false });
    await new Promise<void>((resolve, reject) => {
      client.once('open', () => resolve());
      client.once('error', reject);
    });
    for (const [i, held] of HELD.entries()) {
      const id = i + 1;
      const back = new Promise<void>((resolve) => client.once('message', () => resolve()));
      client.send(held.sent, { binary: held.opcode === 'binary' });
      await waitUntil(`#${id} held`, () => (json ? jsonLines(streams.stdoutText()).some((l) => l.type === 'paused' && l.id === id) : streams.stdoutText().includes(`held #${id} `)));
      streams.stdinStream.write('held\n');
      await waitUntil(`#${id} listed`, () => (json ? jsonLines(streams.stdoutText()).some((l) => l.type === 'held' && JSON.stringify(l.messages).includes(`"id":${id}`)) : streams.stdoutText().includes(`  #${id} `)));
      streams.stdinStream.write(`forward ${id}\n`);
      await back;
    }
    client.close(1000);
    await waitUntil('closed', () => (json ? jsonLines(streams.stdoutText()).some((l) => l.type === 'closed') : streams.stdoutText().includes(' closed 1000')));
  } finally {
    streams.interrupt();
    expect(await exit).toBe(0);
    await engine.dispose();
  }
  return { out: streams.stdoutText(), err: streams.stderrText() };
}

function expectNoSecret(printed: string): void {
  for (const secret of SECRETS) {
    for (let i = 0; i + 6 <= secret.length; i++) {
      const piece = Buffer.from(secret.slice(i, i + 6));
      expect(printed).not.toContain(piece.toString('latin1'));
      expect(printed).not.toContain(piece.toString('hex'));
    }
  }
}

describe('tunnelscope intercept: held messages are printed with their credentials masked', { timeout: 60_000 }, () => {
  it('human: the paused lines and the held list', async () => {
    const { out, err } = await run(false);
    expectNoSecret(`${out}\n${err}`);
    for (const [i, held] of HELD.entries()) {
      expect(out).toContain(`held #${i + 1} (to the server, ${held.opcode}, ${held.sent.length} B): ${printable(held.preview)}`);
      // The held list: `#1 3f2a9c1e to the server text 57 B: …`.
      expect(out).toContain(`to the server ${held.opcode} ${held.sent.length} B: ${printable(held.preview)}`);
    }
  });

  it('--json: the paused lines', async () => {
    const { out, err } = await run(true);
    // Frame lines aside: one session of four protocols is no session a masker recognises (frame-masking.test.ts covers them).
    expectNoSecret([...jsonLines(out).filter((l) => l.type !== 'frame').map((l) => JSON.stringify(l)), err].join('\n'));
    const paused = jsonLines(out).filter((l) => l.type === 'paused');
    expect(paused.map((l) => l.preview)).toEqual(HELD.map((held) => held.preview));
  });
});
