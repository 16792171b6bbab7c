/**
 * conversation-of.ts for STOMP: a SUBSCRIBE or UNSUBSCRIBE with a `receipt` is in two
 * conversations (its receipt's, and its subscription's as `also`), so its RECEIPT and its
 * subscription's MESSAGEs both find it; other frames stay in one. Decoded by the STOMP decoder,
 * as the engine decodes them.
 */
import { describe, expect, it } from 'vitest';
import { conversationOf } from '../../../src-main/core/decode/conversation-of';
import { StompDecoder } from '../../../src-main/core/decode/stomp-decoder';
import { membershipIn, memberships } from '../../../src-main/shared/conversation-membership';
import type { ConversationRef } from '../../../src-main/shared/decoding';

function refOf(dir: 'in' | 'out', text: string): ConversationRef | undefined {
  const decoder = new StompDecoder();
  const outcome = decoder.decode({ seq: 1, dir, opcode: 'text', bytes: new Uint8Array(Buffer.from(text)) });
  return outcome ? conversationOf(outcome, dir) : undefined;
}

describe('STOMP conversations', () => {
  it('a SUBSCRIBE with a receipt asks in its receipt and in its subscription', () => {
    expect(refOf('out', 'SUBSCRIBE\nid:sub-0\ndestination:/q\nreceipt:r-1\n\n\0')).toEqual({
      key: 'stomp receipt r-1',
      role: 'request',
      label: 'receipt r-1',
      also: { key: 'stomp subscription sub-0', role: 'request', label: 'subscription sub-0' },
    });
  });

  it('an UNSUBSCRIBE with a receipt likewise', () => {
    expect(refOf('out', 'UNSUBSCRIBE\nid:sub-0\nreceipt:r-9\n\n\0')).toEqual({
      key: 'stomp receipt r-9',
      role: 'request',
      label: 'receipt r-9',
      also: { key: 'stomp subscription sub-0', role: 'request', label: 'subscription sub-0' },
    });
  });

  it('a receipt id equal to the subscription id: two conversations still, told apart by their keys', () => {
    const ref = refOf('out', 'SUBSCRIBE\nid:7\ndestination:/q\nreceipt:7\n\n\0');
    expect(memberships(ref).map((m) => m.key)).toEqual(['stomp receipt 7', 'stomp subscription 7']);
    expect(membershipIn(refOf('in', 'RECEIPT\nreceipt-id:7\n\n\0'), 'stomp subscription 7')).toBeUndefined();
    expect(membershipIn(refOf('in', 'MESSAGE\nsubscription:7\nmessage-id:1\ndestination:/q\n\nx\0'), 'stomp receipt 7')).toBeUndefined();
  });

  it('frames in one conversation have no `also`', () => {
    expect(refOf('out', 'SUBSCRIBE\nid:sub-0\ndestination:/q\n\n\0')).toEqual({ key: 'stomp subscription sub-0', role: 'request', label: 'subscription sub-0' });
    expect(refOf('out', 'SEND\ndestination:/q\nreceipt:r-2\n\nx\0')).toEqual({ key: 'stomp receipt r-2', role: 'request', label: 'receipt r-2' });
    expect(refOf('in', 'RECEIPT\nreceipt-id:r-2\n\n\0')).toEqual({ key: 'stomp receipt r-2', role: 'answer', label: 'receipt r-2' });
    // A SUBSCRIBE without an id (not valid 1.2, yet seen) asks for its receipt only.
    expect(refOf('out', 'SUBSCRIBE\ndestination:/q\nreceipt:r-3\n\n\0')?.also).toBeUndefined();
    // RabbitMQ copies a SEND's receipt header into the MESSAGEs it delivers: still its subscription's stream alone.
    expect(refOf('in', 'MESSAGE\nsubscription:sub-0\nmessage-id:1\ndestination:/q\nreceipt:r-2\n\nx\0')).toEqual({ key: 'stomp subscription sub-0', role: 'stream', label: 'subscription sub-0' });
  });

  it('membershipIn gives the role in the conversation asked, memberships both in order', () => {
    const ref = refOf('out', 'SUBSCRIBE\nid:s\ndestination:/q\nreceipt:r\n\n\0');
    expect(membershipIn(ref, 'stomp subscription s')).toEqual({ key: 'stomp subscription s', role: 'request', label: 'subscription s' });
    expect(membershipIn(ref, 'stomp receipt r')).toEqual({ key: 'stomp receipt r', role: 'request', label: 'receipt r' });
    expect(membershipIn(ref, 'stomp subscription r')).toBeUndefined();
    expect(memberships(undefined)).toEqual([]);
  });
});
