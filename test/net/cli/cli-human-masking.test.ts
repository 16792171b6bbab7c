/**
 * `connect` without --json prints credentials inside frames masked as --json prints them, for
 * every --decode choice (none included): a `ws` echo server on 127.0.0.1 gets a STOMP CONNECT
 * whose passcode, an MQTT CONNECT whose password, a GraphQL connection_init whose token and a
 * Socket.IO CONNECT whose auth token are each cut across two messages (and echoes them, so both
 * directions carry them), then a message of the protocol with credential-like words that are
 * not credentials. Run in process (the same runConnect the `tunnelscope connect` binary runs)
 * with the real Engine. Nothing is asserted about time.
 *
 * What each run must show: no piece of a secret in stdout or stderr, as text, hex (the binary
 * preview) or Base64; --json's raw payload equal to the messages sent with each secret byte a
 * '*' and nothing else changed; and each human frame line the same as --json's: the decoded
 * summary where --json has `decoded`, else the preview of those masked bytes.
 */
import type { AddressInfo } from 'node:net';
import mqtt from 'mqtt-packet';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { runConnect } from '../../../src-main/cli/connect-command';
import { parseCommandLine } from '../../../src-main/cli/parse-args';
import { printable } from '../../../src-main/cli/terminal-text';
import { DECODE_CHOICES } from '../../../src-main/core';
import { Engine } from '../../../src-main/core/engine';
import { fakeIo } from '../../unit/cli/fake-engine';

interface Message {
  opcode: 'text' | 'binary';
  bytes: Buffer;
}

interface Scenario {
  name: string;
  path: string;
  subprotocol?: string;
  secret: string;
  /** Words that look like credentials but are not (a body, an event's data, query variables): printed as they are. */
  visible: string;
  messages: Message[];
}

const spacedHex = (bytes: Buffer): string => [...bytes].map((b) => b.toString(16).padStart(2, '0')).join(' ');
const text = (value: string): Message => ({ opcode: 'text', bytes: Buffer.from(value, 'utf8') });
const binary = (bytes: Buffer): Message => ({ opcode: 'binary', bytes });

const STOMP_SECRET = 'Stomp-Secret-Pc9';
const MQTT_SECRET = 'Mqtt-Secret-Pw7';
const GQL_SECRET = 'Gql-Secret-Tok3';
const SIO_SECRET = 'Sio-Secret-Tk5';
const mqttConnect = mqtt.generate({ cmd: 'connect', protocolId: 'MQTT', protocolVersion: 4, clientId: 'c1', username: 'alice', password: Buffer.from(MQTT_SECRET), keepalive: 0, clean: true });

const SCENARIOS: readonly Scenario[] = [
  {
    // Recognised from the first message (no subprotocol); the second part is longer than a preview.
    name: 'STOMP CONNECT passcode',
    path: '/ws',
    secret: STOMP_SECRET,
    visible: 'passcode:visible-body',
    messages: [
      text(`CONNECT\naccept-version:1.2\nhost:/\nlogin:guest\npasscode:${STOMP_SECRET.slice(0, 8)}`),
      text(`${STOMP_SECRET.slice(8)}\nx-trace:${'t'.repeat(300)}\n\n\0`),
      text('SEND\ndestination:/queue/a\n\npasscode:visible-body\0'),
    ],
  },
  {
    // Recognised from the first message; the password is cut between the two.
    name: 'MQTT CONNECT password',
    path: '/mqtt',
    secret: MQTT_SECRET,
    visible: spacedHex(Buffer.from('password=visible-payload')),
    messages: [
      binary(mqttConnect.subarray(0, mqttConnect.length - 7)),
      binary(mqttConnect.subarray(mqttConnect.length - 7)),
      binary(mqtt.generate({ cmd: 'publish', topic: 't', payload: Buffer.from('password=visible-payload'), qos: 0, retain: false, dup: false })),
    ],
  },
  {
    // Recognised from the subprotocol the server chose (a JSON object cut in two is no message to recognise).
    name: 'GraphQL connection_init token',
    path: '/graphql',
    subprotocol: 'graphql-transport-ws',
    secret: GQL_SECRET,
    visible: 'visible-var',
    messages: [
      text(`{"type":"connection_init","payload":{"user":"bob","authToken":"${GQL_SECRET.slice(0, 7)}`),
      text(`${GQL_SECRET.slice(7)}","n":1}}`),
      text('{"id":"1","type":"subscribe","payload":{"query":"{ me }","variables":{"token":"visible-var"}}}'),
    ],
  },
  {
    // Recognised from the URL.
    name: 'Socket.IO CONNECT auth token',
    path: '/socket.io/?EIO=4&transport=websocket',
    secret: SIO_SECRET,
    visible: 'visible-evt',
    messages: [text(`40{"token":"${SIO_SECRET.slice(0, 7)}`), text(`${SIO_SECRET.slice(7)}","room":"r1"}`), text('42["login",{"password":"visible-evt"}]')],
  },
];

/** The messages with every byte of the secret (found in them joined, as it was cut) a '*'. */
function masked(scenario: Scenario): Buffer[] {
  const joined = Buffer.concat(scenario.messages.map((m) => m.bytes));
  const at = joined.indexOf(scenario.secret);
  expect(at).toBeGreaterThanOrEqual(0);
  const out: Buffer[] = [];
  let offset = 0;
  for (const message of scenario.messages) {
    const copy = Buffer.from(message.bytes);
    for (let i = 0; i < copy.length; i++) if (offset + i >= at && offset + i < at + scenario.secret.length) copy[i] = 0x2a;
    out.push(copy);
    offset += copy.length;
  }
  return out;
}

/**
 * Every form a piece of the secret could be printed in: text, hex and spaced hex (6-byte pieces:
 * a summary that quotes a message cuts it short), Base64 at each alignment (9-byte pieces).
 */
function forms(secret: string): string[] {
  const out: string[] = [];
  for (let i = 0; i + 6 <= secret.length; i++) {
    const piece = Buffer.from(secret.slice(i, i + 6));
    out.push(piece.toString('latin1'), piece.toString('hex'), spacedHex(piece));
  }
  for (let i = 0; i + 9 <= secret.length; i++) {
    const piece = Buffer.from(secret.slice(i, i + 9));
    for (let skip = 0; skip < 3; skip++) {
      const b64 = piece.subarray(skip).toString('base64').replace(/=+$/, '');
      out.push(b64.slice(skip === 0 ? 0 : 2, b64.length - 2));
    }
  }
  return out;
}

/** What the human line shows of a frame not decoded: the engine's preview (frame-store.ts) of these bytes. */
function preview(message: Message, bytes: Buffer): string {
  if (message.opcode === 'binary') return `hex ${spacedHex(bytes.subarray(0, 64))}${bytes.length > 64 ? '…' : ''}`;
  const all = bytes.toString('utf8');
  return `${printable(all.slice(0, 200))}${all.length > 200 ? '…' : ''}`;
}

interface JsonFrame {
  type: string;
  dir?: 'in' | 'out';
  opcode?: string;
  text?: string;
  base64?: string;
  decoded?: { summary: string };
}

const FRAME_LINE = /^([→←]) \S+ (text|binary) +\d+(?:\.\d)? (?:B|KiB|MiB) {2}(.*)$/;

let server: WebSocketServer | undefined;
let port = 0;
let engine: Engine | undefined;

beforeAll(async () => {
  // An echo: each message back as it came, so the secrets travel both ways.
  server = new WebSocketServer({ host: '127.0.0.1', port: 0, handleProtocols: (protocols) => (protocols.has('graphql-transport-ws') ? 'graphql-transport-ws' : false) });
  server.on('connection', (socket) => socket.on('message', (data: Buffer, isBinary) => socket.send(data, { binary: isBinary })));
  const listening = server;
  await new Promise<void>((resolve) => listening.once('listening', () => resolve()));
  port = (listening.address() as AddressInfo).port;
});

afterAll(async () => {
  const closing = server;
  server = undefined;
  if (closing) await new Promise<void>((resolve) => closing.close(() => resolve()));
});

afterEach(async () => {
  await engine?.dispose();
  engine = undefined;
});

async function connect(scenario: Scenario, decode: string, json: boolean): Promise<{ code: number; out: string; err: string }> {
  engine = new Engine({ host: 'cli', version: '1', env: {}, batch: { intervalMs: 5 } });
  const sends = scenario.messages.flatMap((m) => (m.opcode === 'text' ? ['--send', m.bytes.toString('utf8')] : ['--send-binary', m.bytes.toString('hex')]));
  const args = [`ws://127.0.0.1:${port}${scenario.path}`, ...(scenario.subprotocol ? ['--subprotocol', scenario.subprotocol] : []), '--decode', decode, ...sends, '--count', String(scenario.messages.length), ...(json ? ['--json'] : [])];
  const command = parseCommandLine(['connect', ...args, '--no-proxy']);
  if (command.kind !== 'connect') throw new Error('expected connect');
  const io = fakeIo();
  const code = await runConnect(command, engine, io);
  await engine.dispose();
  engine = undefined;
  return { code, out: io.stdoutText(), err: io.stderrText() };
}

describe.each(SCENARIOS)('$name: the human output masks what --json masks', (scenario) => {
  const expected = masked(scenario);

  it.each(DECODE_CHOICES.map((choice) => [choice]))('--decode %s', async (choice) => {
    const human = await connect(scenario, choice, false);
    const json = await connect(scenario, choice, true);
    expect(human.code).toBe(0);
    expect(json.code).toBe(0);
    const printed = [human.out, human.err, json.out, json.err].join('\n');
    for (const form of forms(scenario.secret)) expect(printed).not.toContain(form);

    const jsonFrames = json.out
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as JsonFrame)
      .filter((line) => line.type === 'frame' && (line.opcode === 'text' || line.opcode === 'binary'));
    const humanFrames = human.out
      .split('\n')
      .map((line) => FRAME_LINE.exec(line))
      .flatMap((match) => (match ? [{ dir: match[1] === '→' ? 'out' : 'in', body: match[3] ?? '' }] : []));
    for (const dir of ['out', 'in'] as const) {
      const jsonOfDir = jsonFrames.filter((line) => line.dir === dir);
      const humanOfDir = humanFrames.filter((line) => line.dir === dir).map((line) => line.body);
      // --json: the messages as sent, each secret byte a '*' (same length), nothing else changed.
      expect(jsonOfDir.map((line) => (line.text !== undefined ? Buffer.from(line.text, 'utf8') : Buffer.from(line.base64 ?? '', 'base64')))).toEqual(expected);
      // The human line: --json's decoded summary when it has one, else the masked preview.
      expect(humanOfDir).toEqual(jsonOfDir.map((line, i) => (line.decoded ? printable(line.decoded.summary) : preview(scenario.messages[i] as Message, expected[i] as Buffer))));
    }
    if (choice === 'none') expect(human.out).toContain(scenario.visible);
  });
});
