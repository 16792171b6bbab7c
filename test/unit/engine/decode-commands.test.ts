/**
 * The decoding commands through the validated engine (issue 14): session:decoding (auto's guess,
 * an override, a name the engine has no decoder for), frames:decode by range and by seqs (with
 * and without values, a frame that is not valid STOMP), decoded search criteria (fields, the
 * query, a conversation) with clear errors for bad input, and message:encode for every protocol
 * the composer builds. The session is an imported NDJSON log of STOMP frames.
 */
import mqtt from 'mqtt-packet';
import { Unpackr } from 'msgpackr';
import { decode as decodeCbor } from 'cbor-x';
import { afterEach, describe, expect, it } from 'vitest';
import { Engine } from '../../../src-main/core/engine';

let engine: Engine | undefined;

/** A command error's field (a NetError has none). */
function pathOf(error: object): string {
  return 'path' in error && typeof error.path === 'string' ? error.path : '';
}
afterEach(async () => {
  await engine?.dispose();
  engine = undefined;
});

const stompFrames = [
  { dir: 'out', text: 'CONNECT\naccept-version:1.2\nhost:broker\n\n\u0000' },
  { dir: 'in', text: 'CONNECTED\nversion:1.2\n\n\u0000' },
  { dir: 'out', text: 'SUBSCRIBE\nid:sub-0\ndestination:/topic/prices\nreceipt:r-1\n\n\u0000' },
  { dir: 'in', text: 'RECEIPT\nreceipt-id:r-1\n\n\u0000' },
  { dir: 'in', text: 'MESSAGE\nsubscription:sub-0\nmessage-id:7\ndestination:/topic/prices\n\n{"price":12}\u0000' },
  { dir: 'in', text: 'MESSAGE\nsubscription:sub-0\nmessage-id:8\ndestination:/topic/news\n\nhello\u0000' },
  { dir: 'in', text: 'BOGUS\n\n\u0000' },
];

async function stompSession(): Promise<{ e: Engine; sessionId: string }> {
  const e = new Engine({ host: 'web', version: '1', env: {} });
  engine = e;
  const text = stompFrames
    .map((f, i) => JSON.stringify({ seq: i + 1, dir: f.dir, opcode: 'text', at: `2024-05-01T10:00:0${i}.000Z`, size: Buffer.byteLength(f.text), text: f.text }))
    .join('\n');
  const imported = await e.call('frames:import', { text, name: 'stomp.ndjson' });
  if (!imported.ok) throw new Error(imported.error.message);
  return { e, sessionId: imported.value.sessionId };
}

describe('session:decoding and frames:decode', () => {
  it('guesses STOMP from the first messages and decodes a range with summaries, values only when asked', async () => {
    const { e, sessionId } = await stompSession();
    const state = await e.call('session:decoding', { sessionId });
    expect(state.ok && state.value).toMatchObject({ choice: 'auto', active: { protocol: 'stomp', title: 'STOMP', guess: true } });
    if (state.ok) expect(state.value.available.map((p) => p.name)).toContain('socketio');
    const rows = await e.call('frames:decode', { sessionId, fromSeq: 1, toSeq: 7 });
    expect(rows.ok).toBe(true);
    if (!rows.ok) return;
    expect(rows.value.frames.map((f) => f.summary)).toEqual([
      'CONNECT broker accept-version=1.2',
      'CONNECTED version=1.2',
      'SUBSCRIBE /topic/prices id=sub-0 receipt=r-1',
      'RECEIPT receipt-id=r-1',
      'MESSAGE /topic/prices 12 B subscription=sub-0 message-id=7',
      'MESSAGE /topic/news 5 B subscription=sub-0 message-id=8',
      expect.stringMatching(/^not valid STOMP: /),
    ]);
    expect(rows.value.frames.every((f) => f.value === undefined)).toBe(true);
    expect(rows.value.frames[6]).toMatchObject({ kind: 'invalid', problem: expect.any(String) });
    expect(rows.value.frames[2]?.conversation).toEqual({
      key: 'stomp receipt r-1',
      role: 'request',
      label: 'receipt r-1',
      also: { key: 'stomp subscription sub-0', role: 'request', label: 'subscription sub-0' },
    });
    expect(rows.value.frames[3]?.conversation).toEqual({ key: 'stomp receipt r-1', role: 'answer', label: 'receipt r-1' });
    // The RECEIPT (10:00:03) answers the SUBSCRIBE (10:00:02); the SUBSCRIBE, with a receipt, is in
    // its subscription's conversation too, so its MESSAGEs are timed from it.
    expect(rows.value.frames[3]?.answers).toEqual({ seq: 3, latencyMs: 1000 });
    expect(rows.value.frames[4]?.conversation?.key).toBe('stomp subscription sub-0');
    expect(rows.value.frames[4]?.answers).toEqual({ seq: 3, latencyMs: 2000 });
    expect(rows.value.frames[5]?.answers).toEqual({ seq: 3, latencyMs: 3000 });
    expect(rows.value.frames[2]?.answers).toBeUndefined();
    // Asked alone, the answer still finds its request (decoded back through the cache).
    const alone = await e.call('frames:decode', { sessionId, seqs: [4] });
    expect(alone.ok && alone.value.frames[0]?.answers).toEqual({ seq: 3, latencyMs: 1000 });
    const detail = await e.call('frames:decode', { sessionId, seqs: [5], values: true });
    expect(detail.ok && detail.value.frames[0]?.value).toEqual({ command: 'MESSAGE', headers: { subscription: 'sub-0', 'message-id': '7', destination: '/topic/prices' }, body: '{"price":12}' });
  });

  it('takes an override (none, another protocol) and refuses a protocol it has no decoder for', async () => {
    const { e, sessionId } = await stompSession();
    const none = await e.call('session:decoding', { sessionId, choice: 'none' });
    expect(none.ok && none.value).toMatchObject({ choice: 'none', active: null });
    const nothing = await e.call('frames:decode', { sessionId, seqs: [1, 2] });
    expect(nothing.ok && nothing.value.frames).toEqual([]);
    const mqttChoice = await e.call('session:decoding', { sessionId, choice: 'mqtt' });
    expect(mqttChoice.ok && mqttChoice.value.active).toMatchObject({ protocol: 'mqtt', guess: false, reason: 'chosen for this tab' });
    const unknown = await e.invoke('session:decoding', { sessionId, choice: 'smtp' });
    expect(unknown).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT', path: 'choice' } });
    if (!unknown.ok) expect(unknown.error.message).toContain('no decoder for "smtp"; one of auto, none, socketio');
  });

  it('refuses bad arguments at the boundary, saying what and where', async () => {
    const { e, sessionId } = await stompSession();
    const cases: [unknown, string][] = [
      [{ sessionId, seqs: [] }, 'seqs'],
      [{ sessionId, seqs: [0] }, 'seqs.0'],
      [{ sessionId, fromSeq: 5 }, 'toSeq'],
      [{ sessionId, fromSeq: 5, toSeq: 2 }, 'toSeq'],
      [{ sessionId, fromSeq: 1, toSeq: 5000 }, 'toSeq'],
      [{ sessionId, seqs: [1], fromSeq: 1, toSeq: 2 }, ''],
      [{ sessionId, seqs: [1], values: 'yes' }, 'values'],
    ];
    for (const [arg, path] of cases) {
      const result = await e.invoke('frames:decode', arg);
      expect(result.ok, JSON.stringify(arg)).toBe(false);
      if (!result.ok) {
        expect(result.error.code).toBe('INVALID_ARGUMENT');
        expect(pathOf(result.error)).toBe(path);
        expect(result.error.message).toMatch(/^frames:decode: /);
      }
    }
    const badChoice = await e.invoke('session:decoding', { sessionId, choice: 'Not A Name' });
    expect(badChoice).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT', path: 'choice' } });
  });
});

describe('frames:search with decoded criteria', () => {
  async function seqsOf(e: Engine, sessionId: string, decoded: Record<string, string>): Promise<number[]> {
    const result = await e.call('frames:search', { sessionId, filter: { decoded } });
    if (!result.ok) throw new Error(result.error.message);
    return result.value.matches.map((m) => m.seq);
  }

  it('filters by destination, by a query over the value and by conversation', async () => {
    const { e, sessionId } = await stompSession();
    expect(await seqsOf(e, sessionId, { destination: '/topic/prices' })).toEqual([3, 5]);
    expect(await seqsOf(e, sessionId, { query: "$.command == 'MESSAGE' && $.headers['message-id'] == '8'" })).toEqual([6]);
    expect(await seqsOf(e, sessionId, { query: '$.headers.destination =~ /news$/' })).toEqual([6]);
    expect(await seqsOf(e, sessionId, { conversation: 'stomp receipt r-1' })).toEqual([3, 4]);
    // The SUBSCRIBE with its receipt heads its subscription's conversation as well.
    expect(await seqsOf(e, sessionId, { conversation: 'stomp subscription sub-0' })).toEqual([3, 5, 6]);
  });

  it('answers a bad query with where it goes wrong, and an empty decoded filter with what it needs', async () => {
    const { e, sessionId } = await stompSession();
    const bad = await e.call('frames:search', { sessionId, filter: { decoded: { query: "$.command = 'MESSAGE'" } } });
    expect(bad).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT', path: 'filter.decoded.query' } });
    if (!bad.ok) expect(bad.error.message).toContain('at character 11: expected a comparison');
    const empty = await e.invoke('frames:search', { sessionId, filter: { decoded: {} } });
    expect(empty).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT', path: 'filter.decoded' } });
  });
});

describe('frames:export with decoded criteria', () => {
  it('exports the frames the log shows (a decoded field, a conversation), and says what is wrong with a bad query', async () => {
    const { e, sessionId } = await stompSession();
    const byField = await e.call('frames:export', { sessionId, format: 'ndjson', filter: { decoded: { destination: '/topic/prices' } } });
    expect(byField.ok && byField.value.frames).toBe(2);
    const byConversation = await e.call('frames:export', { sessionId, format: 'ndjson', filter: { decoded: { conversation: 'stomp receipt r-1' } } });
    expect(byConversation.ok && byConversation.value.frames).toBe(2);
    if (byConversation.ok) expect(byConversation.value.text).toContain('RECEIPT');
    const bySubscription = await e.call('frames:export', { sessionId, format: 'ndjson', filter: { decoded: { conversation: 'stomp subscription sub-0' } } });
    expect(bySubscription.ok && bySubscription.value.frames).toBe(3);
    if (bySubscription.ok) expect(bySubscription.value.text).toContain('SUBSCRIBE');
    const bad = await e.call('frames:export', { sessionId, format: 'har', filter: { decoded: { query: '$.command ==' } } });
    expect(bad).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT', path: 'filter.decoded.query' } });
    if (!bad.ok) expect(bad.error.message).toMatch(/^frames:export: filter\.decoded\.query: at character 13: expected a value to compare with/);
  });
});

describe('message:encode', () => {
  const e = (): Engine => {
    engine = new Engine({ host: 'web', version: '1', env: {} });
    return engine;
  };

  it('writes a STOMP frame with escaped headers and a content-length, summarised as the log will', async () => {
    const result = await e().call('message:encode', {
      message: { protocol: 'stomp', command: 'SUBSCRIBE', headers: [{ name: 'id', value: 'sub-0' }, { name: 'destination', value: '/topic/a:b' }], body: '' },
    });
    expect(result).toEqual({ ok: true, value: { kind: 'text', data: 'SUBSCRIBE\nid:sub-0\ndestination:/topic/a\\cb\n\n\u0000', bytes: 45, summary: 'SUBSCRIBE /topic/a:b id=sub-0' } });
    const send = await engine?.call('message:encode', { message: { protocol: 'stomp', command: 'SEND', headers: [{ name: 'destination', value: '/q' }], body: 'hé' } });
    expect(send?.ok && send.value.data).toBe('SEND\ndestination:/q\ncontent-length:3\n\nhé\u0000');
  });

  it('writes a Socket.IO emit on a namespace with an ack id, and a namespace connect', async () => {
    const emit = await e().call('message:encode', { message: { protocol: 'socketio', namespace: '/admin', event: 'chat', args: '["hi",{"n":1}]', ackId: 12 } });
    expect(emit.ok && emit.value).toMatchObject({ kind: 'text', data: '42/admin,12["chat","hi",{"n":1}]', summary: "emit 'chat' on /admin ack 12" });
    const join = await engine?.call('message:encode', { message: { protocol: 'socketio', type: 'connect', namespace: '/admin' } });
    expect(join?.ok && join.value.data).toBe('40/admin,');
  });

  it('generates MQTT packets with mqtt-packet that its parser reads back', async () => {
    const engine1 = e();
    const packets = [
      { cmd: 'connect', clientId: 'ts-1', keepalive: 30 },
      { cmd: 'subscribe', topic: 'sensors/#', qos: 1, messageId: 3 },
      { cmd: 'publish', topic: 'sensors/1', payload: '21.5', qos: 1, messageId: 4 },
    ] as const;
    const parsed: mqtt.Packet[] = [];
    const parser = mqtt.parser({ protocolVersion: 4 });
    parser.on('packet', (p: mqtt.Packet) => parsed.push(p));
    const summaries: string[] = [];
    for (const packet of packets) {
      const result = await engine1.call('message:encode', { message: { protocol: 'mqtt', packet } });
      if (!result.ok) throw new Error(result.error.message);
      expect(result.value.kind).toBe('binary');
      summaries.push(result.value.summary);
      parser.parse(Buffer.from(result.value.data, 'base64'));
    }
    expect(parsed.map((p) => p.cmd)).toEqual(['connect', 'subscribe', 'publish']);
    expect(summaries).toEqual(['CONNECT client=ts-1 MQTT 3.1.1 keepalive 30 clean', 'SUBSCRIBE sensors/# QoS 1 id=3', 'PUBLISH sensors/1 QoS 1 4 B id=4']);
    const noId = await engine1.call('message:encode', { message: { protocol: 'mqtt', packet: { cmd: 'publish', topic: 't', qos: 1 } } });
    expect(noId).toMatchObject({ ok: false, error: { path: 'message.packet.messageId' } });
    const wildcard = await engine1.invoke('message:encode', { message: { protocol: 'mqtt', packet: { cmd: 'publish', topic: 'a/#' } } });
    expect(wildcard.ok).toBe(false);
    if (!wildcard.ok) expect(wildcard.error.message).toContain('must not hold the wildcards');
  });

  it('writes MQTT 5 SUBSCRIBE and PUBLISH after an MQTT 5 CONNECT, as an MQTT 5 parser reads them (not as 3.1.1)', async () => {
    const engine1 = e();
    const packets = [
      { cmd: 'connect', clientId: 'ts-5', keepalive: 30, protocolVersion: 5 },
      { cmd: 'subscribe', topic: 'sensors/#', qos: 0, messageId: 1, protocolVersion: 5 },
      { cmd: 'publish', topic: 'sensors/1', payload: '21.5', qos: 1, messageId: 2, protocolVersion: 5 },
    ] as const;
    const parsed: mqtt.Packet[] = [];
    const errors: string[] = [];
    const parser = mqtt.parser({ protocolVersion: 5 });
    parser.on('packet', (p: mqtt.Packet) => parsed.push(p));
    parser.on('error', (error: Error) => errors.push(error.message));
    const summaries: string[] = [];
    const sizes: number[] = [];
    for (const packet of packets) {
      const result = await engine1.call('message:encode', { message: { protocol: 'mqtt', packet } });
      if (!result.ok) throw new Error(result.error.message);
      summaries.push(result.value.summary);
      sizes.push(result.value.bytes);
      parser.parse(Buffer.from(result.value.data, 'base64'));
    }
    expect(errors).toEqual([]);
    expect(parsed.map((p) => p.cmd)).toEqual(['connect', 'subscribe', 'publish']);
    expect(parsed[1]).toMatchObject({ subscriptions: [{ topic: 'sensors/#', qos: 0 }], messageId: 1 });
    // MQTT 5's SUBSCRIBE has a property length: 17 B for `sensors/#` at QoS 0, where 3.1.1's has 16.
    expect(sizes[1]).toBe(17);
    expect(summaries.slice(1)).toEqual(['SUBSCRIBE sensors/# QoS 0 id=1', 'PUBLISH sensors/1 QoS 1 4 B id=2']);
    // Without a version: 3.1.1, as before.
    const old = await engine1.call('message:encode', { message: { protocol: 'mqtt', packet: { cmd: 'subscribe', topic: 'sensors/#', qos: 0, messageId: 1 } } });
    expect(old.ok && old.value.bytes).toBe(16);
    const bad = await engine1.invoke('message:encode', { message: { protocol: 'mqtt', packet: { cmd: 'subscribe', topic: 'a', protocolVersion: 3 } } });
    expect(bad.ok).toBe(false);
  });

  it('writes GraphQL subscribe messages of both subprotocols, and MessagePack and CBOR from JSON', async () => {
    const engine1 = e();
    const modern = await engine1.call('message:encode', { message: { protocol: 'graphql', id: '3', query: 'subscription OnPrice { price }' } });
    expect(modern.ok && JSON.parse(modern.value.data)).toEqual({ id: '3', type: 'subscribe', payload: { query: 'subscription OnPrice { price }', variables: {} } });
    const legacy = await engine1.call('message:encode', { message: { protocol: 'graphql', subprotocol: 'graphql-ws', id: '3', query: '{ a }' } });
    expect(legacy.ok && JSON.parse(legacy.value.data)).toMatchObject({ type: 'start' });
    const packed = await engine1.call('message:encode', { message: { protocol: 'msgpack', json: '{"a":[1,"x"]}' } });
    expect(packed.ok && new Unpackr({ useRecords: false }).unpack(Buffer.from(packed.value.data, 'base64'))).toEqual({ a: [1, 'x'] });
    expect(packed.ok && packed.value.summary).toContain('map {a}');
    const cbor = await engine1.call('message:encode', { message: { protocol: 'cbor', json: '[true,null]' } });
    expect(cbor.ok && decodeCbor(Buffer.from(cbor.value.data, 'base64'))).toEqual([true, null]);
  });

  it('refuses a message that cannot be built, naming the field', async () => {
    const engine1 = e();
    const cases: [unknown, string, string][] = [
      [{ protocol: 'socketio', event: '' }, 'message', 'an emit needs an event name'],
      [{ protocol: 'socketio', event: 'x', args: '{"a":1}' }, 'message', 'the arguments are a JSON array'],
      [{ protocol: 'msgpack', json: '{oops' }, 'message', 'the value must be JSON'],
      [{ protocol: 'graphql', id: '1', query: ' ' }, 'message', 'a subscribe needs a query'],
      [{ protocol: 'stomp', command: 'FLY' }, 'message', 'message'],
      [{ protocol: 'telnet' }, 'message', 'message'],
    ];
    for (const [message, path, text] of cases) {
      const result = await engine1.invoke('message:encode', { message });
      expect(result.ok, JSON.stringify(message)).toBe(false);
      if (!result.ok) {
        expect(pathOf(result.error)).toContain(path);
        expect(result.error.message).toContain(text);
      }
    }
  });
});
