/**
 * The app's masking (session/frame-credential-ranges.ts: the log's previews, the detail pane's
 * raw views through masked-frame-body.ts) after the store evicted frames it had not read, the
 * same two cases as exports (export-midway-credentials.test.ts), through the same helpers
 * (midway-credentials.ts, stored-credential-protocol.ts):
 *   - the oldest stored frame is the middle of a protocol frame (a STOMP CONNECT cut inside its
 *     passcode, an MQTT CONNECT inside its password): the rest is masked, not shown in clear;
 *   - a STOMP session whose CONNECT was evicted and that names no subprotocol: recognised from
 *     stored messages that are wholly STOMP frames, so a SEND's credential header is masked.
 * Each stored secret byte must be '*' in what the pane shows (maskBytes over the frame's ranges)
 * and in the log's preview.
 */
import { describe, expect, it } from 'vitest';
import { REST_OF_DROPPED_FRAME } from '../../../src-main/core/decode/midway-credentials';
import { FrameCredentialRanges, maskBytes } from '../../../src-main/core/session/frame-credential-ranges';
import { FrameStore } from '../../../src-main/core/session/frame-store';
import type { HandshakeStep } from '../../../src-main/shared/model';
import { STEPS } from '../export/log-fixture';
import { cut, mqttConnect, mqttPublish, storeOf, text, unmasked, type Message } from '../export/midway-messages';

function steps(subprotocol: string | undefined): HandshakeStep[] {
  if (subprotocol === undefined) return [];
  return STEPS.map((step) => (step.response ? { ...step, response: { ...step.response, headers: [...step.response.headers, ['Sec-WebSocket-Protocol', subprotocol] as [string, string]] } } : step));
}

function rangesOf(store: FrameStore, subprotocol: string | undefined): FrameCredentialRanges {
  return new FrameCredentialRanges({ frames: store, url: 'ws://broker.test/ws', handshakeSteps: () => steps(subprotocol) });
}

/** The places of stored secret bytes the pane (and the preview) would show in clear. */
function shownInClear(store: FrameStore, messages: readonly Message[], ranges: FrameCredentialRanges): string[] {
  const missed: string[] = [];
  for (let seq = store.firstSeq; seq <= store.lastSeq; seq++) {
    const message = messages[seq - 1];
    if (!message) continue;
    const found = ranges.of(seq);
    const shown = maskBytes(message.payload, found?.payload ?? []);
    missed.push(...unmasked(seq, message, shown));
    const summary = store.summary(seq);
    if (summary && message.opcode === 'text') {
      const previews = [summary];
      ranges.maskPreviews(previews);
      missed.push(...unmasked(seq, message, Buffer.from(previews[0]?.preview ?? '')).map((place) => `${place} (preview)`));
    }
  }
  return missed;
}

const PASS = 'Pc-Secret-7719';
const CONNECT = Buffer.from(`CONNECT\naccept-version:1.2\nhost:/\nlogin:guest\npasscode:${PASS}\n\n\0`);
const AFTER: readonly Message[] = [
  text('in', 'MESSAGE\nsubscription:0\ndestination:/queue/a\nmessage-id:1\n\nvisible-body-in\0'),
  text('out', 'SEND\ndestination:/queue/a\nauthorization:Bearer Later-Tok-5521\n\nvisible-body-out\0', ['Later-Tok-5521']),
];

describe('the app after eviction', () => {
  it.each([['v12.stomp'], [undefined]] as const)('STOMP CONNECT cut at every byte of its passcode header, the first part evicted before it was read (subprotocol %s)', (subprotocol) => {
    for (let at = CONNECT.indexOf('passcode'); at < CONNECT.indexOf(PASS) + PASS.length; at++) {
      const messages = [...cut('out', 'text', CONNECT, [PASS], [at]), ...AFTER];
      const store = storeOf(messages, 2);
      const ranges = rangesOf(store, subprotocol);
      expect(shownInClear(store, messages, ranges), `cut at ${at}`).toEqual([]);
      expect(ranges.of(2)?.fields, `cut at ${at}`).toContain(REST_OF_DROPPED_FRAME);
      // Read as STOMP after the rest: the MESSAGE holds no credential.
      expect(ranges.of(3), `cut at ${at}`).toBeUndefined();
    }
  });

  it('evicted while read: the CONNECT’s first part dropped before the reader reached it, its rest stored', () => {
    for (let at = CONNECT.indexOf('passcode'); at < CONNECT.indexOf(PASS) + PASS.length; at++) {
      const messages = [text('in', 'MESSAGE\nsubscription:0\ndestination:/a\nmessage-id:0\n\nfirst\0'), ...cut('out', 'text', CONNECT, [PASS], [at]), ...AFTER];
      // Keeps three frames: #1 read, then the rest come and push #1 and the first part (#2) out.
      const store = new FrameStore({ maxFrames: 3 });
      const first = messages[0];
      if (!first) throw new Error('no message');
      store.push(first.dir, first.opcode, first.payload, undefined, 1000);
      const ranges = rangesOf(store, 'v12.stomp');
      expect(ranges.of(1)).toBeUndefined();
      for (const message of messages.slice(1)) store.push(message.dir, message.opcode, message.payload, undefined, 1000);
      expect(store.firstSeq).toBe(3);
      expect(shownInClear(store, messages, ranges), `cut at ${at}`).toEqual([]);
    }
  });

  it('MQTT CONNECT cut at every byte of its password, the first part evicted before it was read', () => {
    const password = 'Mqtt-Pw-99180';
    const connect = mqttConnect(password);
    for (let at = connect.indexOf(password); at < connect.length; at++) {
      const messages: Message[] = [...cut('out', 'binary', connect, [password], [at]), { dir: 'out', opcode: 'binary', payload: mqttPublish('visible'), secret: [] }];
      const store = storeOf(messages, 2);
      const ranges = rangesOf(store, 'mqtt');
      expect(shownInClear(store, messages, ranges), `cut at ${at}`).toEqual([]);
      expect(ranges.of(3), `cut at ${at}`).toBeUndefined();
    }
  });

  it('a STOMP session with no CONNECT stored and no subprotocol: each SEND’s credential header masked', () => {
    const messages: Message[] = [text('out', 'CONNECT\nlogin:guest\npasscode:Evicted-Pc-0000\n\n\0', ['Evicted-Pc-0000'])];
    for (let i = 0; i < 12; i++) messages.push(text('out', `SEND\ndestination:/q/${i}\nauthorization:Bearer Tok-App-${i}00\n\nbody\0`, [`Bearer Tok-App-${i}00`]));
    const store = storeOf(messages, 4);
    expect(shownInClear(store, messages, rangesOf(store, undefined))).toEqual([]);
  });

  it('text that merely looks like STOMP: nothing masked', () => {
    const looks = ['SEND me the passcode:1234', 'SEND\npasscode:visible\n\nno NUL', 'CONNECTING\npasscode:visible\n\n\0', 'MESSAGE\n\n\0'];
    const messages = [...looks, ...looks, ...looks].map((value, i) => text(i % 2 === 0 ? 'out' : 'in', value));
    const store = storeOf(messages, 3);
    const ranges = rangesOf(store, undefined);
    for (let seq = 3; seq <= store.lastSeq; seq++) expect(ranges.of(seq), `#${seq}`).toBeUndefined();
  });
});
