// The renderer's plain decoding helpers: the filter's decoded criteria as the engine takes them
// (a field, a conversation, the Decoded search mode, merged into one `decoded` object), their
// chips and the search problem shown as typed; the Summary cell's words and tones; and the
// latency of each answer in a conversation.
import { describe, expect, it } from 'vitest';
import { defaultFilter, emptySearch, filterChips, filterKey, isNarrowing, searchProblem, toEngineFilter } from '../../../src-renderer/src/frame-view/frame-filter';
import { summaryCell } from '../../../src-renderer/src/frame-view/decoded-summary';
import { conversationRows } from '../../../src-renderer/src/frame-view/conversation-rows';
import type { DecodedFrame } from '../../../src-main/shared/decoding';
import { frames } from '../stores/frame-fixtures';

describe('decoded criteria in the log filter', () => {
  it('turns a field, a conversation and a Decoded search into one decoded filter', () => {
    const filter = { ...defaultFilter(), decodedField: { name: 'destination' as const, value: '/topic/prices' }, conversation: { key: 'stomp receipt r-1', label: 'receipt r-1' } };
    const search = { ...emptySearch(), mode: 'decoded' as const, query: " $.command == 'MESSAGE' " };
    expect(isNarrowing(filter)).toBe(true);
    expect(toEngineFilter(filter, search)).toEqual({ decoded: { destination: '/topic/prices', conversation: 'stomp receipt r-1', query: "$.command == 'MESSAGE'" } });
    expect(filterChips(filter, search, false).map((c) => c.label)).toEqual(['destination: /topic/prices', 'conversation: receipt r-1', "decoded: $.command == 'MESSAGE'"]);
    expect(filterKey(toEngineFilter(filter))).not.toBe(filterKey(toEngineFilter(defaultFilter())));
  });

  it('ignores an empty field value, and shows a bad query at once with where it goes wrong', () => {
    const filter = { ...defaultFilter(), decodedField: { name: 'event' as const, value: '  ' } };
    expect(isNarrowing(filter)).toBe(false);
    expect(toEngineFilter(filter)).toEqual({});
    const bad = { ...emptySearch(), mode: 'decoded' as const, query: "$.event = 'chat'" };
    expect(searchProblem(bad)).toBe('Invalid decoded query: at character 9: expected a comparison (== != < <= > >= =~), && or the end, found "= \'chat\'"');
    expect(filterChips(defaultFilter(), bad, false)).toEqual([]);
  });
});

describe('the Summary cell', () => {
  const [text, ping] = [frames(1, 1)[0], frames(2, 2, () => ({ opcode: 'ping' }))[0]];
  if (!text || !ping) throw new Error('fixtures');
  const row = (over: Partial<DecodedFrame>): DecodedFrame => ({ seq: 1, kind: 'decoded', protocol: 'socketio', summary: "emit 'chat' on /admin ack 12", ...over });

  it('says what the frame says, marks answers, their latency apart (a narrow column cut it at the end of the text)', () => {
    expect(summaryCell(text, row({}))).toEqual({ text: "emit 'chat' on /admin ack 12", latency: '', tone: 'decoded', title: "emit 'chat' on /admin ack 12" });
    expect(summaryCell(text, row({ summary: 'ack 12 on /admin (1 arg)', conversation: { key: 'k', role: 'answer', label: 'ack 12' }, answers: { seq: 4, latencyMs: 23 } }))).toEqual({
      text: '↩ ack 12 on /admin (1 arg)',
      latency: '+23 ms',
      tone: 'decoded',
      title: 'ack 12 on /admin (1 arg) — answer in ack 12, 23 ms after #4',
    });
    expect(summaryCell(text, row({ kind: 'partial', summary: 'attachment 1 of 2 (3 B)' })).tone).toBe('partial');
  });

  it('a frame that is not valid leads with what is wrong, in the warning tone; "not valid <protocol>: …" whole in its tooltip', () => {
    // In a narrow column "not valid compressed payload: the …" kept nothing of the problem.
    const problem = 'the deflate data (42 B) is corrupted: its Adler-32 checksum does not match its content';
    expect(summaryCell(text, row({ kind: 'invalid', protocol: 'compressed', summary: `not valid compressed payload: ${problem}`, problem }))).toEqual({
      text: `⚠ ${problem}`,
      latency: '',
      tone: 'invalid',
      title: `not valid compressed payload: ${problem}`,
    });
    // Without the problem apart (an older engine's answer), the summary as it is.
    expect(summaryCell(text, row({ kind: 'invalid', summary: 'not valid Socket.IO: x' }))).toMatchObject({ text: 'not valid Socket.IO: x', tone: 'invalid' });
  });

  it('an answer whose request is not in the log shortly before it: no arrow (it would promise a link), the tooltip says why', () => {
    // A MESSAGE whose SUBSCRIBE came before the capture, an ACK whose emit went before a reconnect.
    const conversation = { key: 'k', role: 'answer' as const, label: 'ack 12' };
    expect(summaryCell(text, row({ summary: 'ack 12 on /admin (1 arg)', conversation }))).toEqual({
      text: 'ack 12 on /admin (1 arg)',
      latency: '',
      tone: 'decoded',
      title: 'ack 12 on /admin (1 arg) — answer in ack 12; no request of it in the 256 frames before it on this connection (sent before the capture began, further back, or before a reconnect)',
    });
    const stream = { key: 'stomp subscription sub-0', role: 'stream' as const, label: 'subscription sub-0' };
    expect(summaryCell(text, row({ summary: 'MESSAGE /topic/a', conversation: stream })).text).toBe('MESSAGE /topic/a');
    // A request is no answer: no arrow, nothing missing.
    expect(summaryCell(text, row({ conversation: { key: 'k', role: 'request', label: 'ack 12' } }))).toMatchObject({ text: "emit 'chat' on /admin ack 12", title: "emit 'chat' on /admin ack 12 — request in ack 12" });
  });

  it('a frame in two conversations (a SUBSCRIBE with a receipt) names both', () => {
    const conversation = { key: 'stomp receipt r-1', role: 'request' as const, label: 'receipt r-1', also: { key: 'stomp subscription sub-0', role: 'request' as const, label: 'subscription sub-0' } };
    expect(summaryCell(text, row({ summary: 'SUBSCRIBE /topic/a id=sub-0', conversation }))).toEqual({
      text: 'SUBSCRIBE /topic/a id=sub-0',
      latency: '',
      tone: 'decoded',
      title: 'SUBSCRIBE /topic/a id=sub-0 — request in receipt r-1 and request in subscription sub-0',
    });
  });

  it('an answer whose request is still being read: no latency (nor arrow) yet, and its tooltip says why', () => {
    const conversation = { key: 'k', role: 'stream' as const, label: 'operation far-1' };
    expect(summaryCell(text, row({ summary: 'next #far-1', conversation, requestUnread: true }))).toEqual({
      text: 'next #far-1',
      latency: '',
      tone: 'decoded',
      title: 'next #far-1 — stream in operation far-1; its request is still being read (frames shortly before it), so no latency yet',
    });
    // Once linked, the link replaces the note (a stream item's time is no latency: said, labelled).
    expect(summaryCell(text, row({ summary: 'next #far-1', conversation, answers: { seq: 3, latencyMs: 5 } }))).toMatchObject({
      text: '↩ next #far-1',
      latency: '',
      title: 'next #far-1 — stream in operation far-1, 5 ms since its request #3 (a stream item: not a response time)',
    });
  });

  it('a frame decoded without the frames before it: "≈", the muted tone (even when not valid so), the note in the tooltip', () => {
    const unread = { framesBefore: 812_280, fromSeq: 812_281 };
    expect(summaryCell(text, row({ unread }))).toEqual({
      text: "≈ emit 'chat' on /admin ack 12",
      latency: '',
      tone: 'unread',
      title: "emit 'chat' on /admin ack 12 — decoded without the 812,280 frames before #812,281 (not read yet): state they set may be missing; decoded again once the engine has read them",
    });
    expect(summaryCell(text, row({ kind: 'invalid', summary: 'not valid MQTT: x', problem: 'x', unread }))).toMatchObject({ text: '≈ ⚠ x', tone: 'unread', title: expect.stringMatching(/^not valid MQTT: x — decoded without/) });
  });

  it('a frame decoded without frames the store dropped from memory: "≈", muted, the note says they are gone (not that they will be read)', () => {
    const withoutEvicted = { framesBefore: 4_000, fromSeq: 4_001 };
    expect(summaryCell(text, row({ summary: 'PUBLISH (alias 3) QoS 0 12 B', withoutEvicted }))).toEqual({
      text: '≈ PUBLISH (alias 3) QoS 0 12 B',
      latency: '',
      tone: 'unread',
      title: 'PUBLISH (alias 3) QoS 0 12 B — decoded without the 4,000 frames before #4,001 (dropped from memory): state they set may be missing',
    });
    // An error caused by what is missing (an alias never set here) is marked the same way.
    expect(summaryCell(text, row({ kind: 'invalid', summary: 'not valid MQTT: topic alias 3 unknown', problem: 'topic alias 3 unknown', withoutEvicted }))).toMatchObject({
      text: '≈ ⚠ topic alias 3 unknown',
      tone: 'unread',
    });
    const decoded = new Map<number, DecodedFrame>([[1, row({ summary: 'PUBACK id=5', withoutEvicted })]]);
    expect(conversationRows(frames(1, 1), decoded, 'k')[0]?.summary).toBe('≈ PUBACK id=5');
  });

  it('waits for an answer, and stays empty for a control frame or a frame nothing decodes', () => {
    expect(summaryCell(text, undefined)).toMatchObject({ text: '…', tone: 'waiting' });
    expect(summaryCell(text, null)).toMatchObject({ text: '', tone: 'none' });
    expect(summaryCell(ping, row({}))).toMatchObject({ text: '', tone: 'none' });
  });
});

describe('conversation rows', () => {
  it('times each answer from the latest request before it, and keeps frames that no longer decode', () => {
    const list = frames(1, 5, (seq) => ({ at: 1000 + seq * 7, preview: `p${seq}` }));
    const ref = (role: 'request' | 'answer' | 'stream') => ({ key: 'mqtt id 5 ↑', role, label: 'packet id 5' });
    const decoded = new Map<number, DecodedFrame>([
      [2, { seq: 2, kind: 'decoded', protocol: 'mqtt', summary: 'PUBLISH t QoS 2 1 B id=5', conversation: ref('request') }],
      [3, { seq: 3, kind: 'decoded', protocol: 'mqtt', summary: 'PUBREC id=5', conversation: ref('answer') }],
      [5, { seq: 5, kind: 'decoded', protocol: 'mqtt', summary: 'PUBCOMP id=5', conversation: ref('answer'), unread: { framesBefore: 9_000, fromSeq: 9_001 } }],
    ]);
    const rows = conversationRows([list[4], list[1], list[2], list[3]].filter((f) => f !== undefined), decoded, 'mqtt id 5 ↑');
    expect(rows.map((r) => [r.seq, r.role, r.latencyMs, r.summary])).toEqual([
      [2, 'request', null, 'PUBLISH t QoS 2 1 B id=5'],
      [3, 'answer', 7, 'PUBREC id=5'],
      [4, '', 14, 'p4'],
      [5, 'answer', 21, '≈ PUBCOMP id=5'],
    ]);
  });

  it('a frame in two conversations has its role in the one listed: a SUBSCRIBE with a receipt heads its subscription\'s MESSAGEs', () => {
    const list = frames(1, 4, (seq) => ({ at: 1000 + seq * 10, preview: `p${seq}` }));
    const subscribe = { key: 'stomp receipt 7', role: 'request' as const, label: 'receipt 7', also: { key: 'stomp subscription 7', role: 'request' as const, label: 'subscription 7' } };
    const message = { key: 'stomp subscription 7', role: 'stream' as const, label: 'subscription 7' };
    const decoded = new Map<number, DecodedFrame>([
      [1, { seq: 1, kind: 'decoded', protocol: 'stomp', summary: 'SUBSCRIBE /q id=7', conversation: subscribe }],
      [2, { seq: 2, kind: 'decoded', protocol: 'stomp', summary: 'RECEIPT receipt-id=7', conversation: { key: 'stomp receipt 7', role: 'answer', label: 'receipt 7' } }],
      [3, { seq: 3, kind: 'decoded', protocol: 'stomp', summary: 'MESSAGE /q', conversation: message }],
    ]);
    const of = (key: string, seqs: number[]) => conversationRows(list.filter((f) => seqs.includes(f.seq)), decoded, key).map((r) => [r.seq, r.role, r.latencyMs, r.sinceRequestMs]);
    expect(of('stomp subscription 7', [1, 3])).toEqual([
      [1, 'request', null, null],
      // A MESSAGE is a stream item: its time since the SUBSCRIBE is no latency.
      [3, 'stream', null, 20],
    ]);
    expect(of('stomp receipt 7', [1, 2])).toEqual([
      [1, 'request', null, null],
      [2, 'answer', 10, null],
    ]);
    // Roles that differ by conversation (none in STOMP; the shape allows it): each list has its own.
    decoded.set(4, { seq: 4, kind: 'decoded', protocol: 'x', summary: 'both', conversation: { key: 'a', role: 'request', label: 'a', also: { key: 'stomp subscription 7', role: 'answer', label: 'b' } } });
    expect(of('stomp subscription 7', [1, 4])).toEqual([
      [1, 'request', null, null],
      [4, 'answer', 30, null],
    ]);
    expect(of('a', [4])).toEqual([[4, 'request', null, null]]);
  });
});
