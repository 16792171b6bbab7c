// The detail pane's conversation after a reconnect: an answer in attempt 3 to a GraphQL operation
// id last subscribed in attempt 1 is not timed from that subscribe (was "+400 ms"); it says
// where the request is, and the list marks where the new attempt starts.
import { mount, type VueWrapper } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import DecodedFrame from '../../../src-renderer/src/components/DecodedFrame.vue';
import { useDecodingStore } from '../../../src-renderer/src/stores/decoding-store';
import type { AttemptRecord } from '../../../src-main/shared/attempts';
import type { DecodedFrame as Decoded, DecodingState } from '../../../src-main/shared/decoding';
import type { FrameSummary } from '../../../src-main/shared/model';
import { batch, frames } from '../stores/frame-fixtures';
import { createFixture, settle, type Fixture } from './store-fixture';

const S = 's1';
const KEY = 'graphql operation 1';
const GRAPHQL: DecodingState = { choice: 'auto', active: { protocol: 'graphql-ws', title: 'GraphQL over WebSocket', guess: false, reason: 'the subprotocol' }, available: [] };

function ended(attempt: number, afterSeq: number): AttemptRecord {
  return { attempt, startedAt: 0, endedAt: 0, afterSeq, outcome: { kind: 'failed', opened: true, code: null, reason: '', initiatedBy: 'none' }, next: { attempt: attempt + 1, retry: 1, maxRetries: 0, waitMs: 1000, at: 0 } };
}

const decodedRows = new Map<number, Decoded>(
  (
    [
      [2, 'request', 'subscribe 1 OnPrice'],
      [3, 'stream', 'next 1'],
      [6, 'stream', 'next 1'],
    ] as const
  ).map(([seq, role, summary]) => [seq, { seq, kind: 'decoded', protocol: 'graphql-ws', summary, conversation: { key: KEY, role, label: 'operation 1' } }]),
);

let fixture: Fixture;
let list: FrameSummary[];
let wrapper: VueWrapper | undefined;

beforeEach(() => {
  fixture = createFixture();
  list = frames(1, 6, (seq) => ({ at: 1000 + seq * 100, dir: seq === 2 ? 'out' : 'in' }));
  fixture.fake.answer('session:decoding', () => ({ ok: true, value: GRAPHQL }));
  fixture.fake.answer('frames:decode', (arg) => {
    const { seqs = [] } = arg as { seqs?: number[] };
    return { ok: true, value: { active: GRAPHQL.active, frames: seqs.flatMap((seq) => decodedRows.get(seq) ?? []) } };
  });
  fixture.fake.answer('frames:search', () => {
    const matches = list.filter((f) => decodedRows.has(f.seq));
    return { ok: true, value: { searchId: 'x', matches, nextSeq: null, scanned: list.length, cancelled: false, elapsedMs: 0, firstSeq: 1, lastSeq: list.length, dropped: 0 } };
  });
});

afterEach(() => wrapper?.unmount());

async function show(seq: number, attempts: AttemptRecord[]): Promise<VueWrapper> {
  fixture.sessions.handleEvent({ type: 'session-created', sessionId: S, url: 'wss://x.test/', at: 0 });
  fixture.sessions.handleEvent(batch(S, list));
  fixture.sessions.flushFrames();
  for (const record of attempts) fixture.sessions.handleEvent({ type: 'attempt', sessionId: S, record });
  await useDecodingStore().refresh(S);
  wrapper = mount(DecodedFrame, { props: { sessionId: S, seq }, attachTo: document.body });
  await settle(10);
  return wrapper;
}

/** Each line of the list, its parts joined by a space (a row's cells, or a note's text). */
const rowTexts = (w: VueWrapper) =>
  w.findAll('[data-testid="conversation"] li').map((li) => {
    const parts = li.findAll('button, span').map((part) => part.text());
    return parts.length > 0 ? parts.filter((t) => t !== '').join(' ') : li.text().replace(/\s+/g, ' ');
  });

describe('the detail pane across reconnect attempts', () => {
  it("an answer whose only request is in an earlier attempt: no latency, it says where the request is", async () => {
    // Attempt 1: #1..#4; attempt 2 recorded nothing; attempt 3 from #5.
    const w = await show(6, [ended(1, 4), ended(2, 4)]);
    expect(rowTexts(w)).toEqual([
      '#2 ↑ request subscribe 1 OnPrice',
      // A stream item has no latency: its time since the subscribe is its role's tooltip, labelled.
      '#3 ↓ stream next 1',
      'attempt 3 (reconnected: a new connection)',
      '#6 ↓ stream — next 1',
      'Request in attempt 1 (#2); no latency across a reconnect: this frame is in attempt 3, a new connection, so it does not answer that request.',
    ]);
    expect(w.findAll('[data-testid="latency"]')[2]?.attributes('title')).toBe('request in attempt 1 (#2); no latency across a reconnect');
    expect(w.findAll('[data-testid="conversation"] .role')[1]?.attributes('title')).toMatch(/^100 ms since the request: a stream item .* not a response time$/);
    expect(w.findAll('[data-testid="conversation"] .role')[2]?.attributes('title')).toBeUndefined();
    expect(w.find('[data-testid="conversation-no-request"]').exists()).toBe(false);
  });

  it('without a reconnect the same frames are timed from the request, and no attempt is marked', async () => {
    const w = await show(6, []);
    expect(rowTexts(w)).toEqual(['#2 ↑ request subscribe 1 OnPrice', '#3 ↓ stream next 1', '#6 ↓ stream next 1']);
    expect(w.findAll('[data-testid="conversation"] .role').map((role) => role.attributes('title')?.split(':')[0])).toEqual([undefined, '100 ms since the request', '400 ms since the request']);
  });
});
