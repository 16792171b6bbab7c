/**
 * A far frame answered without the frames before it sets the engine walking towards it in
 * slices between events (store-decoding.ts catchUp). That walk is for the session's decoding in
 * use: when the session is forgotten (removed) or its decode choice replaced, nothing will ask
 * for its answers, so it stops at once instead of reading the rest of the store (up to millions
 * of frames) and keeping the old decoding's cache, index and checkpoints alive meanwhile.
 */
import { describe, expect, it } from 'vitest';
import { DecodeCommands, type DecodedSession } from '../../../src-main/core/decode-commands';
import { FrameStore } from '../../../src-main/core/session/frame-store';
import { FAR_SPECS, farStream } from './far-state-streams';

const MQTT = FAR_SPECS.find((spec) => spec.name === 'mqtt');
if (!MQTT) throw new Error('no MQTT stream');
const STREAM = farStream(MQTT, 12_000, 91);

/** A session over the stream whose store counts the frames read from it. */
function countedSession(): { session: DecodedSession; reads: () => number } {
  const store = new FrameStore({});
  for (const frame of STREAM.frames) store.push(frame.dir, frame.opcode as 'text' | 'binary', Buffer.from(frame.bytes));
  let reads = 0;
  const frames = {
    entry: (seq: number) => {
      reads++;
      return store.entry(seq);
    },
    get firstSeq() {
      return store.firstSeq;
    },
    get lastSeq() {
      return store.lastSeq;
    },
  };
  return { session: { id: 's1', url: 'ws://far.test/', frames, handshakeSteps: () => [] }, reads: () => reads };
}

const turns = async (n: number): Promise<void> => {
  for (let i = 0; i < n; i++) await new Promise<void>((resolve) => setImmediate(resolve));
};

/** The newest frame asked first: answered marked, and the catch-up scheduled. */
function askFar(decodes: DecodeCommands, session: DecodedSession): void {
  expect(decodes.state(session, { sessionId: session.id, choice: 'mqtt' }).ok).toBe(true);
  const answer = decodes.decode(session, { sessionId: session.id, seqs: [session.frames.lastSeq], values: false });
  if (!answer.ok) throw new Error(answer.error.message);
  expect(answer.value.frames[0]?.unread).toBeDefined();
}

describe('the catch-up walk ends with the decoding it was for', () => {
  it('goes on while the session is decoded (the walk reads the store between events)', async () => {
    const { session, reads } = countedSession();
    const decodes = new DecodeCommands();
    askFar(decodes, session);
    const before = reads();
    await turns(3);
    expect(reads()).toBeGreaterThan(before + 4096);
  });

  it('stops when the session is forgotten', async () => {
    const { session, reads } = countedSession();
    const decodes = new DecodeCommands();
    askFar(decodes, session);
    decodes.forget(session.id);
    const before = reads();
    await turns(4);
    expect(reads()).toBe(before);
  });

  it('stops when the choice is replaced', async () => {
    const { session, reads } = countedSession();
    const decodes = new DecodeCommands();
    askFar(decodes, session);
    expect(decodes.state(session, { sessionId: session.id, choice: 'none' }).ok).toBe(true);
    const before = reads();
    await turns(4);
    expect(reads()).toBe(before);
  });
});
