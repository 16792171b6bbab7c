/**
 * Exports after the store evicted a session's first messages, where the oldest stored frame may be
 * the middle of a protocol frame: a STOMP CONNECT cut inside `passcode:`, an MQTT CONNECT inside
 * its password, a header line cut anywhere. Before, the masker started afresh there, read the rest
 * as no frame and wrote the rest of the credential in clear. Now (midway-credentials.ts) each
 * direction's messages after a gap are masked up to where a frame surely starts (STOMP: a NUL
 * followed by a command line; MQTT: a message that is whole packets), saying so with the field
 * REST_OF_DROPPED_FRAME, and the masker reads on from there.
 *
 * And a STOMP session whose CONNECT was evicted and that names no subprotocol is recognised from
 * stored messages that are wholly STOMP frames (stored-credential-protocol.ts), so a SEND's
 * credential header is masked; text that merely looks like STOMP is not.
 *
 * Checked byte for byte: every stored byte of every secret is written as '*' (NDJSON), and no
 * piece of a secret is in the file, as text or Base64 (NDJSON and HAR, decoding not asked and auto).
 */
import { describe, expect, it } from 'vitest';
import { REST_OF_DROPPED_FRAME } from '../../../src-main/core/decode/midway-credentials';
import { exportToText } from '../../../src-main/core/export/export-session';
import type { FrameStore } from '../../../src-main/core/session/frame-store';
import type { LogFormat } from '../../../src-main/shared/log-file';
import type { HandshakeStep } from '../../../src-main/shared/model';
import { forms } from './credential-scenarios';
import { STEPS, fixtureSession } from './log-fixture';
import { cut, mqttConnect, mqttPublish, storeOf, text, unmasked, type Message } from './midway-messages';

interface Written {
  bytes: Buffer;
  fields: string[];
}

function steps(subprotocol: string | undefined): HandshakeStep[] {
  if (subprotocol === undefined) return [];
  return STEPS.map((step) => (step.response ? { ...step, response: { ...step.response, headers: [...step.response.headers, ['Sec-WebSocket-Protocol', subprotocol] as [string, string]] } } : step));
}

async function exported(store: FrameStore, subprotocol: string | undefined, format: LogFormat, decoded: boolean): Promise<string> {
  const session = fixtureSession({ frames: store, steps: steps(subprotocol), url: 'ws://broker.test/ws' });
  const { text: out } = await exportToText(session, { format, version: '9.9.9', ...(decoded ? { decoding: { choice: 'auto' as const } } : {}) });
  return out;
}

/** The NDJSON export's frames by seq, as written. */
function written(ndjson: string): Map<number, Written> {
  const out = new Map<number, Written>();
  for (const line of ndjson.trimEnd().split('\n').slice(1)) {
    const frame = JSON.parse(line) as { seq: number; text?: string; base64?: string; redacted?: { fields: string[] } };
    out.set(frame.seq, { bytes: frame.text !== undefined ? Buffer.from(frame.text) : Buffer.from(frame.base64 ?? '', 'base64'), fields: frame.redacted?.fields ?? [] });
  }
  return out;
}

/**
 * Exports the messages with the front evicted up to `firstSeq`, every way, and checks that each
 * stored secret byte is '*' and no piece of `secrets` is anywhere. Returns the NDJSON frames.
 */
async function expectMasked(messages: readonly Message[], firstSeq: number, subprotocol: string | undefined, secrets: readonly string[], label: string): Promise<Map<number, Written>> {
  const store = storeOf(messages, firstSeq);
  const pieces = secrets.flatMap((secret) => forms(secret));
  let frames: Map<number, Written> | undefined;
  for (const format of ['ndjson', 'har'] as const) {
    for (const decoded of [false, true]) {
      const out = await exported(store, subprotocol, format, decoded);
      const where = `${label}, ${format}${decoded ? ', decoded' : ''}`;
      expect(pieces.filter((piece) => out.includes(piece)), where).toEqual([]);
      if (format !== 'ndjson') continue;
      const got = written(out);
      const missed: string[] = [];
      for (let seq = firstSeq; seq <= messages.length; seq++) {
        const message = messages[seq - 1];
        const frame = got.get(seq);
        if (!message || !frame) throw new Error(`#${seq} not written`);
        missed.push(...unmasked(seq, message, frame.bytes));
      }
      expect(missed, where).toEqual([]);
      frames ??= got;
    }
  }
  if (!frames) throw new Error('nothing exported');
  return frames;
}

const visibleText = (frames: Map<number, Written>, seq: number): string => frames.get(seq)?.bytes.toString('latin1') ?? '';

const PASS = 'Pc-Secret-7719';
const CONNECT = Buffer.from(`CONNECT\naccept-version:1.2\nhost:/\nlogin:guest\npasscode:${PASS}\n\n\0`);
const LATER_TOKEN = 'Later-Tok-5521';
/** After the CONNECT: whole STOMP frames (no CONNECTED: nothing but these could say STOMP). */
const STOMP_AFTER: readonly Message[] = [
  text('in', 'MESSAGE\nsubscription:0\ndestination:/queue/a\nmessage-id:1\n\nvisible-body-in\0'),
  text('out', `SEND\ndestination:/queue/a\nauthorization:Bearer ${LATER_TOKEN}\n\nvisible-body-out\0`, [LATER_TOKEN]),
];
/** With the subprotocol, and without (recognised from the stored frames). */
const SUBPROTOCOLS = ['v12.stomp', undefined] as const;

/** Every place from the start of the `passcode` header's name to two bytes after its value. */
const CONNECT_CUTS = Array.from({ length: CONNECT.indexOf(PASS) + PASS.length + 2 - CONNECT.indexOf('passcode') }, (_, i) => CONNECT.indexOf('passcode') + i);

describe('a STOMP CONNECT cut in two, the first part evicted', () => {
  it.each(SUBPROTOCOLS.map((sub) => [sub ?? 'no subprotocol', sub] as const))('%s: cut at every byte of the passcode header, the rest masked to the NUL, then read as STOMP', async (_name, subprotocol) => {
    for (const at of CONNECT_CUTS) {
      const messages = [...cut('out', 'text', CONNECT, [PASS], [at]), ...STOMP_AFTER];
      const frames = await expectMasked(messages, 2, subprotocol, [PASS, LATER_TOKEN], `cut at ${at}`);
      const rest = frames.get(2);
      // The rest of the CONNECT, LF and NUL kept; said so.
      const expected = Buffer.from(CONNECT.subarray(at)).map((byte) => (byte === 0x0a || byte === 0 ? byte : 0x2a));
      expect(rest?.bytes.toString('latin1'), `cut at ${at}`).toBe(Buffer.from(expected).toString('latin1'));
      if (/[^\n\0]/.test(CONNECT.subarray(at).toString('latin1'))) expect(rest?.fields, `cut at ${at}`).toContain(REST_OF_DROPPED_FRAME);
      // Not wholesale: the frames after it are read as STOMP, their bodies as they are.
      expect(visibleText(frames, 3)).toContain('visible-body-in');
      expect(visibleText(frames, 4)).toContain('visible-body-out');
      expect(visibleText(frames, 4)).toContain(`authorization:${'*'.repeat(`Bearer ${LATER_TOKEN}`.length)}\n`);
    }
  });

  it('cut in three at every byte, the first part evicted: the middle and the last masked', async () => {
    for (const at of CONNECT_CUTS) {
      for (const more of [1, 2, 5, 9]) {
        if (at + more >= CONNECT.length) continue;
        const messages = [...cut('out', 'text', CONNECT, [PASS], [at, at + more]), ...STOMP_AFTER];
        await expectMasked(messages, 2, 'v12.stomp', [PASS, LATER_TOKEN], `cut at ${at}, ${at + more}`);
      }
    }
  });
});

describe('a STOMP session evicted at every boundary', () => {
  const TOKEN = 'Tok-Split-3307';
  const SECOND = 'Pc-Two-8821';
  const THIRD = 'Key-Three-4406';
  const BODY_NULS = 'SEND\ndestination:/a\ncontent-length:9\n\nab\0cd\0efg\0';
  const messages: Message[] = [
    ...cut('out', 'text', CONNECT, [PASS], [CONNECT.indexOf('passcode') + 3, CONNECT.indexOf(PASS) + 5]),
    text('in', 'CONNECTED\nversion:1.2\nheart-beat:0,0\n\n\0'),
    ...cut('out', 'text', Buffer.from(`SEND\ndestination:/a\nauthorization:Bearer ${TOKEN}\n\nhello\0`), [TOKEN], [40]),
    text('in', '\n'),
    // A content-length body holding NULs, cut inside it, then a frame with a credential in the same message.
    ...cut('out', 'text', Buffer.from(`${BODY_NULS}SEND\ndestination:/a\npasscode:${SECOND}\n\n\0`), [SECOND], [BODY_NULS.indexOf('ab') + 1]),
    ...cut('in', 'text', Buffer.from(`MESSAGE\nsubscription:0\nmessage-id:7\ndestination:/a\nx-auth-token:${THIRD}\n\nin-body\0`), [THIRD], [20, 60]),
    ...cut('out', 'binary', Buffer.from(`SEND\ndestination:/b\ncontent-type:text/plain\npasscode:${SECOND}\n\nbin\0`), [SECOND], [46]),
    text('in', 'MESSAGE\nsubscription:0\nmessage-id:8\ndestination:/a\n\nlast-visible\0'),
    text('out', 'SEND\ndestination:/a\n\nlast-out-visible\0'),
  ];

  it.each(SUBPROTOCOLS.map((sub) => [sub ?? 'no subprotocol', sub] as const))('%s: every stored secret byte masked, whichever frame is the oldest stored', async (_name, subprotocol) => {
    for (let firstSeq = 2; firstSeq <= messages.length; firstSeq++) {
      const frames = await expectMasked(messages, firstSeq, subprotocol, [TOKEN, SECOND, THIRD], `from #${firstSeq}`);
      // The last two are frame starts in each direction: written as they are.
      if (firstSeq < messages.length) expect(visibleText(frames, messages.length - 1), `from #${firstSeq}`).toContain('last-visible');
      expect(visibleText(frames, messages.length), `from #${firstSeq}`).toContain('last-out-visible');
    }
  });
});

describe('an MQTT CONNECT cut across messages, the first part evicted', () => {
  it.each([4, 5] as const)('MQTT level %i: cut at every byte from the user name on, the rest masked whole, the next whole packet read', async (level) => {
    const password = 'Mqtt-Pw-99180';
    const connect = mqttConnect(password, level);
    const from = connect.indexOf('alice');
    for (let at = from; at < connect.length; at++) {
      for (const more of [0, 3]) {
        if (more > 0 && at + more >= connect.length) continue;
        const messages: Message[] = [...cut('out', 'binary', connect, [password], more > 0 ? [at, at + more] : [at]), { dir: 'out', opcode: 'binary', payload: mqttPublish('visible-payload-1'), secret: [] }];
        const frames = await expectMasked(messages, 2, 'mqtt', [password], `cut at ${at}${more > 0 ? ` and ${at + more}` : ''}`);
        for (let seq = 2; seq < messages.length; seq++) {
          expect(frames.get(seq)?.bytes.every((byte) => byte === 0x2a), `#${seq}, cut at ${at}`).toBe(true);
          expect(frames.get(seq)?.fields).toContain(REST_OF_DROPPED_FRAME);
        }
        expect(frames.get(messages.length)?.bytes.includes('visible-payload-1'), `cut at ${at}`).toBe(true);
      }
    }
  });
});

describe('a STOMP session with no CONNECT stored and no subprotocol', () => {
  const HEADERS = [
    ['authorization', 'Bearer Auth-Send-1001'],
    ['passcode', 'Pc-Send-2002'],
    ['x-auth-token', 'Tok-Send-3003'],
    ['Cookie', 'sid=Crumb-Send-4004'],
  ] as const;

  it('recognised from its stored frames: every SEND’s credential header masked, whatever its EOL or opcode', async () => {
    const messages: Message[] = [text('out', 'CONNECT\nlogin:guest\npasscode:Evicted-Pc-0000\n\n\0', ['Evicted-Pc-0000'])];
    for (let i = 0; i < 12; i++) {
      const [name, value] = HEADERS[i % HEADERS.length] ?? HEADERS[0];
      const eol = i % 3 === 2 ? '\r\n' : '\n';
      const frame = Buffer.from(`SEND${eol}destination:/queue/${i}${eol}${name}:${value}${eol}${eol}body-${i}\0`);
      messages.push(...cut('out', i % 4 === 3 ? 'binary' : 'text', frame, [value]));
    }
    const frames = await expectMasked(messages, 5, undefined, HEADERS.map(([, value]) => value), 'no CONNECT stored');
    expect([...frames.values()].filter((frame) => frame.fields.length > 0)).toHaveLength(messages.length - 4);
  });

  it('text that merely looks like STOMP is no sign: nothing masked, wholesale or otherwise', async () => {
    // What was chosen: only a message that is wholly STOMP frames (a command of the set, at least
    // one header line, the NUL end, nothing after) says STOMP. These are not, so the session is
    // not read as STOMP at all, even after eviction, and every byte is written as stored.
    const lookalikes = [
      'SEND me the passcode:1234 please',
      'SEND\ndestination:/a\npasscode:visible-no-nul\n\nno NUL at the end',
      'CONNECTING\npasscode:visible-not-a-command\n\n\0',
      'MESSAGE\n\n\0',
      'SEND\npasscode:visible-trailing\n\n\0and more text',
      '{"passcode":"visible-json","cmd":"SEND"}',
      'SENDER\npasscode:visible-sender\n\n\0',
    ];
    const messages: Message[] = [];
    for (let i = 0; i < 4; i++) for (const value of lookalikes) messages.push(text(i % 2 === 0 ? 'out' : 'in', value));
    const store = storeOf(messages, 3);
    for (const format of ['ndjson', 'har'] as const) {
      const out = await exported(store, undefined, format, false);
      expect(out, format).not.toContain('redacted');
      if (format === 'ndjson') for (const [seq, frame] of written(out)) expect(frame.bytes.equals(messages[seq - 1]?.payload ?? Buffer.alloc(0)), `#${seq}`).toBe(true);
    }
  });
});

describe('a GraphQL connection_init or Socket.IO CONNECT cut across messages, the first part evicted', () => {
  const TOKEN = 'Json-Tok-60417';
  const cases = [
    {
      name: 'GraphQL connection_init',
      subprotocol: 'graphql-transport-ws',
      message: Buffer.from(`{"type":"connection_init","payload":{"user":"bob","auth":{"authToken":"${TOKEN}","n":{"x":1}}}}`),
      after: text('out', '{"id":"1","type":"subscribe","payload":{"query":"{ visibleQuery }"}}'),
      visible: 'visibleQuery',
    },
    {
      name: 'Socket.IO CONNECT',
      subprotocol: undefined,
      message: Buffer.from(`40/admin,{"token":"${TOKEN}","room":"r1"}`),
      after: text('out', '42/admin,["visibleEvent",{"a":1}]'),
      visible: 'visibleEvent',
    },
  ];

  it.each(cases.map((one) => [one.name, one] as const))('%s: cut at every byte, in two and three, the rest masked whole, the next whole message read', async (_name, one) => {
    const socketio = one.subprotocol === undefined;
    for (let at = 1; at < one.message.length; at++) {
      for (const more of [0, 4]) {
        if (more > 0 && at + more >= one.message.length) continue;
        const messages = [...cut('out', 'text', one.message, [TOKEN], more > 0 ? [at, at + more] : [at]), one.after];
        const store = storeOf(messages, 2);
        // Socket.IO is recognised from the URL.
        const session = fixtureSession({ frames: store, steps: steps(one.subprotocol), url: socketio ? 'ws://chat.test/socket.io/?EIO=4&transport=websocket' : 'ws://api.test/graphql' });
        for (const format of ['ndjson', 'har'] as const) {
          const { text: out } = await exportToText(session, { format, version: '9.9.9' });
          const label = `${format}, cut at ${at}${more > 0 ? ` and ${at + more}` : ''}`;
          expect(forms(TOKEN).filter((piece) => out.includes(piece)), label).toEqual([]);
          if (format !== 'ndjson') continue;
          const got = written(out);
          for (let seq = 2; seq < messages.length; seq++) expect(got.get(seq)?.bytes.every((byte) => byte === 0x2a), `#${seq}, ${label}`).toBe(true);
          expect(visibleText(got, messages.length), label).toContain(one.visible);
        }
      }
    }
  });
});
