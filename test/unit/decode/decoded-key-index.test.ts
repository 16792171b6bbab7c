/**
 * The compact index of decoded fields a decoded-field search reads: filled by the in-order walk
 * (not by a frame decoded again alone), answering true/false for frames decoded before and
 * undefined for the rest; frames the store evicted leave it. And the engine's decoded search
 * gives the same answers from it as from decoding.
 */
import { describe, expect, it } from 'vitest';
import { DecodeCommands } from '../../../src-main/core/decode-commands';
import { DecodedKeyIndex } from '../../../src-main/core/decode/decoded-key-index';
import { FrameDecodeCache } from '../../../src-main/core/decode/frame-decode-cache';
import { StompDecoder } from '../../../src-main/core/decode/stomp-decoder';
import { storeFrameReader } from '../../../src-main/core/decode/store-frame-reader';
import { FrameStore } from '../../../src-main/core/session/frame-store';

function stompStore(count: number, maxFrames?: number): FrameStore {
  const store = new FrameStore(maxFrames !== undefined ? { maxFrames } : {});
  for (let i = 1; i <= count; i++) {
    if (i % 10 === 0) store.push('in', 'text', Buffer.from('NOT STOMP\n\n\0'));
    else store.push('in', 'text', Buffer.from(`MESSAGE\ndestination:/topic/p${i % 3}\nsubscription:s\n\nx\0`));
  }
  return store;
}

describe('DecodedKeyIndex', () => {
  it('knows the frames the walk decoded, not the others', () => {
    const store = stompStore(30);
    const index = new DecodedKeyIndex(() => store.firstSeq);
    const cache = new FrameDecodeCache(() => new StompDecoder(), storeFrameReader(store), undefined, index);
    const isP1 = index.matcher({ destinations: '/topic/p1' });
    expect(isP1(1)).toBeUndefined();
    cache.decodeAt(20);
    expect([1, 2, 3, 4, 10, 20].map(isP1)).toEqual([true, false, false, true, false, false]);
    expect(isP1(21)).toBeUndefined();
    // Two criteria must both hold; a frame that is not valid matches nothing.
    const both = index.matcher({ destinations: '/topic/p1', events: 'x' });
    expect(both(1)).toBe(false);
  });

  it('drops what the store evicted', () => {
    const store = stompStore(5000, 1000);
    const index = new DecodedKeyIndex(() => store.firstSeq);
    const cache = new FrameDecodeCache(() => new StompDecoder(), storeFrameReader(store), undefined, index);
    for (let seq = store.firstSeq; seq <= store.lastSeq; seq++) cache.decodeAt(seq);
    const isP2 = index.matcher({ destinations: '/topic/p2' });
    expect(isP2(store.lastSeq)).toBe(store.lastSeq % 10 !== 0 && store.lastSeq % 3 === 2);
    expect(isP2(store.firstSeq - 1)).toBeUndefined();
  });
});

describe('a decoded-field search through the engine', () => {
  it('answers the same from the index as from decoding', () => {
    const store = stompStore(500);
    const session = { id: 's', url: 'ws://h/', frames: store, handshakeSteps: () => [] };
    const decodes = new DecodeCommands();
    decodes.state(session, { sessionId: 's', choice: 'stomp' });
    const run = (): number[] => {
      const test = decodes.predicate(session, { destination: '/topic/p1' });
      if (!test.ok) throw new Error(test.error.message);
      const hits: number[] = [];
      for (let seq = 1; seq <= store.lastSeq; seq++) if (test.value(seq)) hits.push(seq);
      return hits;
    };
    const first = run();
    expect(first).toHaveLength(150);
    expect(first.slice(0, 4)).toEqual([1, 4, 7, 13]);
    expect(run()).toEqual(first);
  });
});
