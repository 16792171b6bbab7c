// The composer's ids follow the session's log, not only its own sends (issue: ids ignored what
// the server and earlier frames did). A GraphQL subscribe typed in the Text box took id 1: the
// Protocol form proposed 1 again (graphql-ws ends the connection 4409 "Subscriber for 1 already
// exists"); now it proposes 2. The server completing an operation frees its id (no warning when
// typed back); a reconnect's new connection has nothing open. The engine's real encoder answers
// message:encode; the log is served by the fake bridge (frames:page, frames:decode with values).
import type { VueWrapper } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import type { DecodedJson } from '../../../src-main/shared/decoding';
import { byLabel, composerTest, SESSION as S } from './composer-fixture';

const ACTIVE = { protocol: 'graphql-ws', title: 'GraphQL over WebSocket', guess: false, reason: 'the subprotocol' };

const composer = composerTest({ settleMs: 400, active: () => ACTIVE });
const { settle, logged } = composer;

async function mountGraphql(): Promise<VueWrapper> {
  const wrapper = await composer.mountProtocolFormat();
  await byLabel(wrapper, 'Protocol').setValue('graphql');
  await byLabel(wrapper, 'Query').setValue('subscription { a }');
  await settle();
  return wrapper;
}

const sentIds = () => composer.fake.calls.filter((c) => c.name === 'session:send').map((c) => (JSON.parse((c.arg as { data: string }).data) as { id: string }).id);
const warning = (w: VueWrapper) => w.find('[data-testid="protocol-id-warning"]');
const idField = (w: VueWrapper) => (byLabel(w, 'Id').element as HTMLInputElement).value;

async function clickSend(w: VueWrapper): Promise<void> {
  await settle();
  await w.findAll('button').find((b) => b.text() === 'Send')?.trigger('click');
  await settle();
}

const subscribe = (id: string): DecodedJson => ({ type: 'subscribe', id, payload: { query: 'subscription { a }' } });

describe("the composer's ids and the session's log", () => {
  it('an id a frame the composer did not send took is not proposed; one the server completed is free; a reconnect frees all', async () => {
    const w = await mountGraphql();
    expect(idField(w)).toBe('1');
    // A subscribe with id 1 sent from the Text box (or a profile's message on open); back in the Protocol form the log is read.
    await w.findAll('button').find((b) => b.text() === 'Text')?.trigger('click');
    await logged(['out', subscribe('1')], ['in', { type: 'next', id: '1', payload: { data: { a: 1 } } }]);
    await w.findAll('button').find((b) => b.text() === 'Protocol')?.trigger('click');
    await settle();
    expect(idField(w)).toBe('2');
    await clickSend(w);
    expect(sentIds()).toEqual(['2']);
    expect(idField(w)).toBe('3');
    // The server completes 2 (the composer's own): typed back, 2 is not warned about; 1 still is.
    await logged(['out', subscribe('2')], ['in', { type: 'complete', id: '2' }]);
    await byLabel(w, 'Id').setValue('2');
    // The warning the composer's own ledger would give is checked against the log first.
    await settle();
    expect(warning(w).exists()).toBe(false);
    await byLabel(w, 'Id').setValue('1');
    await settle();
    expect(warning(w).text()).toContain('The id 1 was sent in this session');
    // A reconnect: a new connection, where 1 is not open.
    composer.fake.emit({ type: 'attempt', sessionId: S, record: { attempt: 1, startedAt: 0, endedAt: 0, afterSeq: 4, outcome: { kind: 'failed', opened: true, code: null, reason: '', initiatedBy: 'none' }, next: { attempt: 2, retry: 1, maxRetries: 0, waitMs: 10, at: 0 } } });
    await logged(['out', { type: 'connection_init' }]);
    await byLabel(w, 'Id').setValue('5');
    await byLabel(w, 'Id').setValue('1');
    await settle();
    expect(warning(w).exists()).toBe(false);
    // Each frame was decoded at most once.
    expect(new Set(composer.decodedSeqs).size).toBe(composer.decodedSeqs.length);
  });
});
