// The composer's reads of the log (read-log-ids.ts) never cancel the log's own filter or search.
// The engine runs one search a session and a search begun cancels the one under way
// (core/search/search-registry.ts): the fake engine here does the same, scanning in slices and
// looking at its ticket between them. The log's real filter runner (frame-view store) pages
// through an "incoming only" filter while a STOMP command is picked and a message is sent; before,
// each of those reads' search cancelled the log's page under way (its runner asked it again).
import { flushPromises } from '@vue/test-utils';
import { beforeEach, describe, expect, it } from 'vitest';
import { useFrameViewStore } from '../../../src-renderer/src/stores/frame-view-store';
import type { DecodedJson } from '../../../src-main/shared/decoding';
import type { TunnelscopeBridge } from '../../../src-main/shared/bridge';
import { MAX_CANCELLED, readLogIds } from '../../../src-renderer/src/composer/read-log-ids';
import { emptyIdLedger } from '../../../src-renderer/src/composer/composer-ids';
import { byLabel, composerTest, pickProtocolFormat, SESSION as S } from './composer-fixture';

/** What the bridge's frames:search takes (the request before the engine's defaults). */
type SearchRequest = Parameters<TunnelscopeBridge['frames:search']>[0];

const ACTIVE = { protocol: 'stomp', title: 'STOMP', guess: false, reason: 'the subprotocol' };

const composer = composerTest({ settleMs: 400, active: () => ACTIVE });
const { settle, log: logged } = composer;
/** Every search the fake engine answered: whose, and whether it came back cancelled (and by whose search). */
let answers: { searchId: string; cancelled: boolean; by: string | null }[] = [];

beforeEach(() => {
  const { fake } = composer;
  answers = [];
  // The engine's one search a session: a search begun cancels the one under way, which sees it
  // between its slices (search-registry.ts, frame-search.ts).
  const answer = fake.bridge['frames:search'];
  const running = new Map<string, { cancelled: boolean; by: string | null }>();
  fake.bridge['frames:search'] = async (arg: SearchRequest) => {
    const ticket = { cancelled: false, by: null as string | null };
    const previous = running.get(arg.sessionId);
    if (previous) Object.assign(previous, { cancelled: true, by: arg.searchId ?? null });
    running.set(arg.sessionId, ticket);
    for (let slice = 0; slice < 4 && !ticket.cancelled; slice++) await new Promise((resolve) => setTimeout(resolve, 5));
    if (running.get(arg.sessionId) === ticket) running.delete(arg.sessionId);
    const result = await answer(arg);
    answers.push({ searchId: arg.searchId ?? '', cancelled: ticket.cancelled, by: ticket.by });
    return ticket.cancelled && result.ok ? { ...result, value: { ...result.value, matches: [], cancelled: true } } : result;
  };
});

const logAnswers = () => answers.filter((a) => !a.searchId.startsWith('composer-ids-'));
const composerAnswers = () => answers.filter((a) => a.searchId.startsWith('composer-ids-'));
const messages = (n: number): [dir: 'in', value: DecodedJson][] => Array.from({ length: n }, (_, i) => ['in', { command: 'MESSAGE', headers: { subscription: 'sub-7', 'message-id': `m-${i}` } }] as [dir: 'in', value: DecodedJson]);

describe("the composer's reads of the log and the log's own filter", () => {
  it("a pick and a send read the log after the log's filter page, never cancelling it; the read still finds the ids", async () => {
    const w = await composer.mountOpen();
    await pickProtocolFormat(w);
    await byLabel(w, 'Protocol').setValue('stomp');
    await settle();
    // A SUBSCRIBE typed elsewhere (sub-7), then a busy stream; the log shows incoming frames only.
    logged([['out', { command: 'SUBSCRIBE', headers: { id: 'sub-7', destination: '/t' } }], ...messages(30)]);
    await settle(0);
    useFrameViewStore().viewOf(S).setDirection('in');
    await flushPromises();
    expect(useFrameViewStore().viewOf(S).list.value.building).toBe(true);

    // Picked while the log's page is under way: the read waits for it.
    await byLabel(w, 'Command').setValue('UNSUBSCRIBE');
    await settle();
    expect(logAnswers().length).toBeGreaterThan(0);
    expect(composerAnswers().length).toBeGreaterThan(0);
    // Before: [{ searchId: 'list-1', cancelled: true, by: 'composer-ids-s1' }] and the page asked again.
    expect(answers.filter((a) => a.cancelled)).toEqual([]);
    // The read found the SUBSCRIBE: the UNSUBSCRIBE closes sub-7, the one still open.
    expect(w.get('[aria-label="Header 1 value"]').element).toHaveProperty('value', 'sub-7');

    // More frames (the log's tail pages) and a Send right then: its read waits too.
    const before = answers.length;
    logged(messages(20));
    await flushPromises();
    expect(useFrameViewStore().viewOf(S).list.value.building).toBe(true);
    await w.findAll('button').find((b) => b.text() === 'Send')?.trigger('click');
    await settle();
    expect(composer.fake.calls.some((c) => c.name === 'session:send')).toBe(true);
    expect(composerAnswers().length).toBeGreaterThan(0);
    expect(answers.slice(before).filter((a) => a.cancelled)).toEqual([]);
    expect(answers.slice(before).some((a) => a.searchId.startsWith('composer-ids-'))).toBe(true);
    expect(useFrameViewStore().viewOf(S).list.value.count).toBe(50);
  });

  it("a page of the read that a search of the log cancelled is asked again once the log is done (up to MAX_CANCELLED), and the ids are read", async () => {
    logged([['out', { command: 'SUBSCRIBE', headers: { id: 'sub-3', destination: '/t' } }], ...messages(3)]);
    const session = { id: S, firstSeq: 1, lastSeq: 4, attempts: [] };
    // The log starts a page under the read's first one (the gate said idle a moment before): cancelled, asked again.
    let busy = false;
    const waits: string[] = [];
    const gate = { busy: () => busy, idle: () => { waits.push('idle'); busy = false; return Promise.resolve(); } };
    let first = true;
    const { fake } = composer;
    const engine = fake.bridge['frames:search'];
    fake.bridge['frames:search'] = async (arg: SearchRequest) => {
      const result = await engine(arg);
      if (!first || !result.ok) return result;
      first = false;
      busy = true;
      return { ...result, value: { ...result.value, matches: [], cancelled: true } };
    };
    const ledger = emptyIdLedger();
    const read = readLogIds(fake.bridge, ledger, session, gate);
    await settle();
    await read;
    expect(waits).toEqual(['idle']);
    expect(ledger.open.stomp).toEqual(['sub-3']);
    expect(ledger.scannedTo).toBe(4);
    // Cancelled every time: the read ends after MAX_CANCELLED pages (the next read takes it up).
    fake.bridge['frames:search'] = async (arg: SearchRequest) => {
      const result = await engine(arg);
      return result.ok ? { ...result, value: { ...result.value, matches: [], cancelled: true } } : result;
    };
    logged(messages(1));
    const before = answers.length;
    const again = readLogIds(fake.bridge, ledger, { ...session, lastSeq: 5 }, gate);
    await settle();
    await again;
    expect(answers.length - before).toBe(MAX_CANCELLED);
    expect(ledger.scannedTo).toBe(4);
  });
});
