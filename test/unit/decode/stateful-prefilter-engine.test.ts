/**
 * The stateful prefilters through the engine, as the log's Field filter runs them: `frames:search`
 * with `filter.decoded` on an imported session (time-sliced, forward and backward, paged), for
 * an MQTT 5 topic reached by a topic alias and a GraphQL operation named by its subscribe.
 */
import mqtt from 'mqtt-packet';
import { afterEach, describe, expect, it } from 'vitest';
import { Engine } from '../../../src-main/core/engine';

type Line = { dir: 'in' | 'out'; opcode: 'text' | 'binary'; bytes: Buffer };

async function importSession(engine: Engine, lines: readonly Line[], choice: 'mqtt' | 'graphql-ws'): Promise<string> {
  const text = lines
    .map((l, i) => {
      const at = new Date(Date.UTC(2024, 4, 1, 10, 0, 0, i)).toISOString();
      const payload = l.opcode === 'text' ? { text: l.bytes.toString('utf8') } : { base64: l.bytes.toString('base64') };
      return JSON.stringify({ seq: i + 1, dir: l.dir, opcode: l.opcode, at, size: l.bytes.length, ...payload });
    })
    .join('\n');
  const imported = await engine.call('frames:import', { text, name: `${choice}.ndjson` });
  if (!imported.ok) throw new Error(imported.error.message);
  const chosen = await engine.call('session:decoding', { sessionId: imported.value.sessionId, choice });
  if (!chosen.ok) throw new Error(chosen.error.message);
  return imported.value.sessionId;
}

async function search(engine: Engine, sessionId: string, decoded: { topic?: string; operation?: string }, backward = false): Promise<number[]> {
  const result = await engine.call('frames:search', { sessionId, filter: { decoded }, ...(backward ? { backward } : {}) });
  if (!result.ok) throw new Error(result.error.message);
  return result.value.matches.map((m) => m.seq);
}

describe('frames:search with a stateful prefilter, through the engine', () => {
  let engine: Engine | undefined;
  afterEach(async () => {
    await engine?.dispose();
    engine = undefined;
  });

  it('finds an MQTT 5 PUBLISH by the topic its alias stands for, and one spanning two messages', async () => {
    const e = new Engine({ host: 'web', version: '1', env: {} });
    engine = e;
    const v5 = { protocolVersion: 5 } as const;
    const publish = (topic: string, alias?: number): Buffer => mqtt.generate({ cmd: 'publish', topic, payload: Buffer.from('x'), qos: 0, retain: false, dup: false, ...(alias !== undefined ? { properties: { topicAlias: alias } } : {}) }, v5);
    const split = publish('a/7');
    const sessionId = await importSession(
      e,
      [
        { dir: 'out', opcode: 'binary', bytes: mqtt.generate({ cmd: 'connect', protocolId: 'MQTT', protocolVersion: 5, clientId: 'c', clean: true, keepalive: 30 }, v5) },
        { dir: 'in', opcode: 'binary', bytes: publish('a/7', 1) }, // 2: sets alias 1
        { dir: 'in', opcode: 'binary', bytes: publish('b') },
        { dir: 'in', opcode: 'binary', bytes: publish('', 1) }, // 4: a/7 by its alias
        { dir: 'in', opcode: 'binary', bytes: split.subarray(0, 3) },
        { dir: 'in', opcode: 'binary', bytes: split.subarray(3) }, // 6: the packet ends here
        { dir: 'in', opcode: 'binary', bytes: publish('b', 1) }, // 7: alias 1 is b now
        { dir: 'in', opcode: 'binary', bytes: publish('', 1) }, // 8: b
      ],
      'mqtt',
    );
    expect(await search(e, sessionId, { topic: 'a/7' })).toEqual([2, 4, 6]);
    expect(await search(e, sessionId, { topic: 'b' })).toEqual([3, 7, 8]);
    expect(await search(e, sessionId, { topic: 'a/7' }, true)).toEqual([6, 4, 2]);
  });

  it('finds a GraphQL subscription’s results by its operation, not after it completes', async () => {
    const e = new Engine({ host: 'web', version: '1', env: {} });
    engine = e;
    const text = (dir: 'in' | 'out', s: string): Line => ({ dir, opcode: 'text', bytes: Buffer.from(s) });
    const sessionId = await importSession(
      e,
      [
        text('out', '{"type":"connection_init"}'),
        text('out', '{"id":"1","type":"subscribe","payload":{"query":"subscription OnPrice { price }"}}'), // 2
        text('in', '{"id":"1","type":"next","payload":{"data":{"price":1}}}'), // 3
        text('in', '{"id":"2","type":"next","payload":{"data":{"price":2}}}'),
        text('in', '{"id":"\\u0031","type":"next","payload":{"data":{"price":3}}}'), // 5: the id escaped
        text('out', '{"id":"1","type":"complete"}'), // 6
        text('in', '{"id":"1","type":"next","payload":{"data":{"price":4}}}'),
      ],
      'graphql-ws',
    );
    expect(await search(e, sessionId, { operation: 'OnPrice' })).toEqual([2, 3, 5, 6]);
    expect(await search(e, sessionId, { operation: 'OnPrice' }, true)).toEqual([6, 5, 3, 2]);
  });
});
