/**
 * EngineIoHeartbeat fed messages by hand, under fake time (a ManualClock): Engine.IO 3's client
 * pings every pingInterval and stop with the session; Engine.IO 4's pings are answered with `3`
 * (or only counted with the answer off); a session whose first message is not an open packet is
 * left alone. The close diagnoses: Engine.IO 4's ping left unanswered, Engine.IO 3's silence (no
 * ping for more than pingInterval + pingTimeout / 2). EngineIoSink is fed from a real FrameStore.
 */
import { describe, expect, it } from 'vitest';
import { EngineIoHeartbeat, engineIoCloseDiagnosis, engineVersionOf, missingPingsDiagnosis, readOpenPacket, unansweredPingsDiagnosis } from '../../../src-main/core/session/engineio-heartbeat';
import { EngineIoSink } from '../../../src-main/core/session/engineio-sink';
import type { FrameSink } from '../../../src-main/core/session/frame-batcher';
import { FrameStore } from '../../../src-main/core/session/frame-store';
import { ManualClock } from '../../support/manual-clock';

const text = (s: string): Buffer => Buffer.from(s, 'utf8');
const OPEN_V3 = '0{"sid":"abc","upgrades":[],"pingInterval":25000,"pingTimeout":5000}';
const OPEN_V4 = '0{"sid":"abc","upgrades":[],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000}';

function heartbeat(version: 3 | 4, answer = true, canSend = true): { beat: EngineIoHeartbeat; sent: string[]; clock: ManualClock } {
  const sent: string[] = [];
  const clock = new ManualClock();
  const beat = new EngineIoHeartbeat({
    version,
    answer,
    clock,
    send: (message) => {
      if (!canSend) return false;
      sent.push(message);
      return true;
    },
  });
  return { beat, sent, clock };
}

describe('readOpenPacket', () => {
  it.each([
    [OPEN_V4, { sid: 'abc', pingInterval: 25000, pingTimeout: 20000 }],
    ['0{"sid":"x","pingInterval":50}', { sid: 'x', pingInterval: 50, pingTimeout: undefined }],
    ['0{"sid":1,"pingInterval":50}', undefined],
    ['0{"sid":"x"}', undefined],
    ['0{"sid":"x","pingInterval":"50"}', undefined],
    ['0{"sid":"x",', undefined],
    ['0[1]', undefined],
    ['0null', undefined],
    ['40', undefined],
    ['2', undefined],
    ['', undefined],
    ['0{"__proto__":{"sid":"x","pingInterval":5}}', undefined],
  ])('%j', (message, expected) => {
    expect(readOpenPacket(text(message))).toEqual(expected);
  });
});

describe('engineVersionOf', () => {
  it.each([
    ['ws://h/socket.io/?EIO=3&transport=websocket', 3],
    ['ws://h/socket.io/?EIO=4&transport=websocket', 4],
    ['ws://h/socket.io/', 4],
    ['not a url', 4],
  ] as const)('%s', (url, version) => {
    expect(engineVersionOf(url)).toBe(version);
  });
});

describe('Engine.IO 3: the client pings', () => {
  it('sends 2 every pingInterval from the open packet, and stops with the session', () => {
    const { beat, sent, clock } = heartbeat(3);
    beat.incoming(false, text(OPEN_V3));
    expect(sent).toEqual([]);
    clock.advance(24_999);
    expect(sent).toEqual([]);
    clock.advance(1);
    expect(sent).toEqual(['2']);
    beat.incoming(false, text('3'));
    clock.advance(50_000);
    expect(sent).toEqual(['2', '2', '2']);
    beat.stop();
    expect(clock.pending).toBe(0);
    clock.advance(100_000);
    expect(sent).toEqual(['2', '2', '2']);
  });

  it('does not answer a server 2 (v3 servers do not ping)', () => {
    const { beat, sent } = heartbeat(3);
    beat.incoming(false, text(OPEN_V3));
    beat.incoming(false, text('2'));
    expect(sent).toEqual([]);
  });

  it('with the answer off, sends nothing and sets no timer', () => {
    const { beat, sent, clock } = heartbeat(3, false);
    beat.incoming(false, text(OPEN_V3));
    expect(clock.pending).toBe(0);
    clock.advance(100_000);
    expect(sent).toEqual([]);
  });

  it.each([0, 5, 19, 25.5, 24 * 60 * 60 * 1000 + 1])('sets no timer for a pingInterval of %s ms', (interval) => {
    const { beat, clock } = heartbeat(3);
    beat.incoming(false, text(`0{"sid":"a","pingInterval":${interval}}`));
    expect(beat.isEngineIo).toBe(true);
    expect(clock.pending).toBe(0);
  });
});

describe('Engine.IO 4: the server pings', () => {
  it('answers each 2 with 3, nothing else', () => {
    const { beat, sent, clock } = heartbeat(4);
    beat.incoming(false, text(OPEN_V4));
    expect(clock.pending).toBe(0);
    for (const message of ['40', '2', '42["chat","2"]', '2probe', '3', '2']) beat.incoming(false, text(message));
    beat.incoming(true, text('2'));
    expect(sent).toEqual(['3', '3']);
    expect(beat.pongsSent).toBe(2);
    expect(beat.unansweredPings).toBe(0);
  });

  it('with the answer off, counts the pings it leaves unanswered', () => {
    const { beat, sent } = heartbeat(4, false);
    beat.incoming(false, text(OPEN_V4));
    beat.incoming(false, text('2'));
    beat.incoming(false, text('2'));
    expect(sent).toEqual([]);
    expect(beat.unansweredPings).toBe(2);
  });

  it('counts a ping whose answer could not go', () => {
    const { beat } = heartbeat(4, true, false);
    beat.incoming(false, text(OPEN_V4));
    beat.incoming(false, text('2'));
    expect(beat.unansweredPings).toBe(1);
  });
});

describe('unansweredPingsDiagnosis', () => {
  it('says nothing without unanswered pings, or without a heartbeat', () => {
    expect(unansweredPingsDiagnosis(undefined)).toBeUndefined();
    const { beat } = heartbeat(4, false);
    beat.incoming(false, text(OPEN_V4));
    expect(unansweredPingsDiagnosis(beat)).toBeUndefined();
    const answered = heartbeat(4).beat;
    answered.incoming(false, text(OPEN_V4));
    answered.incoming(false, text('2'));
    expect(unansweredPingsDiagnosis(answered)).toBeUndefined();
  });

  it('names the ping left unanswered, why, and the pingTimeout when the open packet had one', () => {
    const off = heartbeat(4, false).beat;
    off.incoming(false, text(OPEN_V4));
    off.incoming(false, text('2'));
    expect(unansweredPingsDiagnosis(off)).toBe(
      "The server's last Engine.IO ping (2) got no pong (3) (answering Engine.IO pings is off for this session): an Engine.IO server closes the connection when no pong comes within its pingTimeout (20000 ms).",
    );
    const stuck = heartbeat(4, true, false).beat;
    stuck.incoming(false, text('0{"sid":"a","pingInterval":50}'));
    stuck.incoming(false, text('2'));
    expect(unansweredPingsDiagnosis(stuck)).toBe(
      "The server's last Engine.IO ping (2) got no pong (3) (the answer could not be sent): an Engine.IO server closes the connection when no pong comes within its pingTimeout.",
    );
  });
});

describe('missingPingsDiagnosis (Engine.IO 3)', () => {
  // OPEN_V3: pingInterval 25000, pingTimeout 5000: said once silent for more than 25000 + 2500 ms.
  const OFF_TEXT = (ms: number): string =>
    `The session sent no Engine.IO ping (2) for ${ms} ms before the close (sending Engine.IO pings is off for this session): an Engine.IO 3 server closes the connection when no ping comes within pingInterval + pingTimeout (25000 + 5000 ms).`;

  it('with the pings off: nothing up to pingInterval + pingTimeout / 2 after the open packet, then the silence and the deadline', () => {
    const { beat, clock } = heartbeat(3, false);
    beat.incoming(false, text(OPEN_V3));
    clock.advance(27_500);
    expect(missingPingsDiagnosis(beat)).toBeUndefined();
    clock.advance(1);
    expect(missingPingsDiagnosis(beat)).toBe(OFF_TEXT(27_501));
    expect(engineIoCloseDiagnosis(beat)).toBe(OFF_TEXT(27_501));
    // Stopping with the session (the close) keeps what was measured.
    beat.stop();
    clock.advance(1_000);
    expect(missingPingsDiagnosis(beat)).toBe(OFF_TEXT(28_501));
  });

  it('a 2 the user sent counts as a ping; other text does not', () => {
    const { beat, clock } = heartbeat(3, false);
    beat.incoming(false, text(OPEN_V3));
    clock.advance(20_000);
    beat.sent(text('2'));
    clock.advance(20_000);
    expect(missingPingsDiagnosis(beat)).toBeUndefined();
    beat.sent(text('22'));
    beat.sent(text('42["chat","2"]'));
    beat.sent(text('3'));
    clock.advance(7_501);
    expect(missingPingsDiagnosis(beat)).toBe(OFF_TEXT(27_501));
  });

  it('with the pings on: nothing, however long the session was open', () => {
    const { beat, clock } = heartbeat(3);
    beat.incoming(false, text(OPEN_V3));
    for (let i = 0; i < 8; i++) {
      clock.advance(24_999);
      expect(missingPingsDiagnosis(beat)).toBeUndefined();
      clock.advance(1);
    }
    expect(beat.clientPings).toBe(8);
    expect(missingPingsDiagnosis(beat)).toBeUndefined();
  });

  it('pings that could not be sent, or a pingInterval out of bounds, are named', () => {
    const stuck = heartbeat(3, true, false);
    stuck.beat.incoming(false, text(OPEN_V3));
    stuck.clock.advance(30_000);
    expect(missingPingsDiagnosis(stuck.beat)).toBe(
      'The session sent no Engine.IO ping (2) for 30000 ms before the close (the pings could not be sent in time): an Engine.IO 3 server closes the connection when no ping comes within pingInterval + pingTimeout (25000 + 5000 ms).',
    );
    const tiny = heartbeat(3);
    tiny.beat.incoming(false, text('0{"sid":"a","pingInterval":5,"pingTimeout":1000}'));
    tiny.clock.advance(506);
    expect(missingPingsDiagnosis(tiny.beat)).toBe(
      'The session sent no Engine.IO ping (2) for 506 ms before the close (its pingInterval of 5 ms is outside the 20 ms to 24 h Tunnelscope pings at): an Engine.IO 3 server closes the connection when no ping comes within pingInterval + pingTimeout (5 + 1000 ms).',
    );
  });

  it('says nothing without an open packet, without a pingTimeout, for Engine.IO 4, or for another protocol', () => {
    expect(missingPingsDiagnosis(undefined)).toBeUndefined();
    const before = heartbeat(3, false);
    before.clock.advance(100_000);
    expect(missingPingsDiagnosis(before.beat)).toBeUndefined();
    const noTimeout = heartbeat(3, false);
    noTimeout.beat.incoming(false, text('0{"sid":"a","pingInterval":25000}'));
    noTimeout.clock.advance(1_000_000);
    expect(missingPingsDiagnosis(noTimeout.beat)).toBeUndefined();
    const v4 = heartbeat(4, false);
    v4.beat.incoming(false, text(OPEN_V4));
    v4.beat.sent(text('2'));
    v4.clock.advance(1_000_000);
    expect(v4.beat.silentMs).toBeUndefined();
    expect(missingPingsDiagnosis(v4.beat)).toBeUndefined();
    const other = heartbeat(3, false);
    other.beat.incoming(false, text('hello'));
    other.clock.advance(1_000_000);
    expect(missingPingsDiagnosis(other.beat)).toBeUndefined();
  });

  it("engineIoCloseDiagnosis: Engine.IO 4's unanswered ping, else Engine.IO 3's silence", () => {
    const v4 = heartbeat(4, false);
    v4.beat.incoming(false, text(OPEN_V4));
    v4.beat.incoming(false, text('2'));
    v4.clock.advance(1_000_000);
    expect(engineIoCloseDiagnosis(v4.beat)).toBe(unansweredPingsDiagnosis(v4.beat));
    expect(engineIoCloseDiagnosis(v4.beat)).toMatch(/^The server's last Engine\.IO ping \(2\) got no pong/);
  });
});

describe('a session that is not Engine.IO', () => {
  it.each([
    ['text', false, '2'],
    ['JSON', false, '{"sid":"x","pingInterval":5}'],
    ['binary open packet', true, OPEN_V4],
  ])('first message %s: never answers, stops looking', (_name, binary, first) => {
    const { beat, sent, clock } = heartbeat(4);
    beat.incoming(binary, text(first));
    expect(beat.watching).toBe(false);
    beat.incoming(false, text(OPEN_V4));
    beat.incoming(false, text('2'));
    expect(sent).toEqual([]);
    expect(clock.pending).toBe(0);
  });
});

describe('EngineIoSink', () => {
  function sinkOver(store: FrameStore, beat: EngineIoHeartbeat): { sink: EngineIoSink; noted: [number, number][] } {
    const noted: [number, number][] = [];
    const inner: FrameSink = { note: (from, to = from) => noted.push([from, to]), flush: () => undefined };
    return { sink: new EngineIoSink(inner, store, beat), noted };
  }

  it('hands the incoming data messages of each noted range, in order, after the consumers heard of them', () => {
    const store = new FrameStore();
    const sent: string[] = [];
    const beat = new EngineIoHeartbeat({
      version: 4,
      answer: true,
      clock: new ManualClock(),
      send: (message) => {
        // As the session does: the answer is stored as an outgoing frame.
        store.push('out', 'text', text(message));
        sent.push(message);
        return true;
      },
    });
    const { sink, noted } = sinkOver(store, beat);
    const first = store.pushIncoming(false, text(OPEN_V4), 1);
    store.push('in', 'ping', text('2'));
    store.pushIncoming(false, text('40'), 1);
    store.pushIncoming(false, text('2'), 1);
    store.push('out', 'text', text('2'));
    store.pushIncoming(true, text('2'), 1);
    const last = store.pushIncoming(false, text('2'), 1);
    store.endRun();
    sink.note(first, last);
    expect(noted).toEqual([[first, last]]);
    expect(sent).toEqual(['3', '3']);
    expect(store.lastAssignedSeq).toBe(last + 2);
  });

  it('stops reading frames once the first message is not an open packet', () => {
    const store = new FrameStore();
    const beat = new EngineIoHeartbeat({ version: 4, answer: true, clock: new ManualClock(), send: () => true });
    const { sink } = sinkOver(store, beat);
    const a = store.pushIncoming(false, text('hello'), 1);
    const b = store.pushIncoming(false, text(OPEN_V4), 1);
    store.endRun();
    sink.note(a, b);
    expect(beat.watching).toBe(false);
    expect(beat.isEngineIo).toBe(false);
  });
});
