/**
 * QA's case through the real Engine on 127.0.0.1: a ws server sends the first 12 bytes of an MQTT
 * PUBLISH and drops the TCP connection; on the second connection it sends a whole CONNACK and
 * PUBLISH, then closes with 1000. With reconnect on (the wait on a ManualClock, moved on as it is
 * announced), attempt 2's frames decode as CONNACK and PUBLISH (not as the rest of attempt 1's
 * packet), attempt 1's partial says the rest never came, a decoded search finds attempt 2's
 * PUBLISH, and the NDJSON export's import (which carries the attempts) decodes the same.
 */
import mqtt from 'mqtt-packet';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import { Engine } from '../../../src-main/core/engine';
import type { EngineEvent } from '../../../src-main/shared/events';
import { ManualClock } from '../../support/manual-clock';
import { valueOf } from '../../unit/profiles/profile-fixtures';

const v4 = { protocolVersion: 4 } as const;
const connack = mqtt.generate({ cmd: 'connack', returnCode: 0, sessionPresent: false }, v4);
const publish = mqtt.generate({ cmd: 'publish', topic: 'sensors/1', payload: Buffer.from('{"t":21.5,"unit":"C","note":"padding"}'), qos: 1, messageId: 1, retain: false, dup: false }, v4);

let engine: Engine | undefined;
let server: WebSocketServer | undefined;

afterEach(async () => {
  await engine?.dispose();
  engine = undefined;
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

/** The first connection: 12 bytes of the PUBLISH, then the TCP drop; the next: CONNACK, PUBLISH, close 1000. */
async function startServer(): Promise<string> {
  let connections = 0;
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  server = wss;
  wss.on('connection', (ws: WebSocket) => {
    connections += 1;
    if (connections === 1) {
      ws.send(publish.subarray(0, 12), () => ws.terminate());
      return;
    }
    ws.send(connack);
    ws.send(publish, () => ws.close(1000, 'done'));
  });
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
  const address = wss.address();
  if (typeof address === 'string' || address === null) throw new Error('no port');
  return `ws://127.0.0.1:${address.port}/mqtt`;
}

describe('reconnect: each attempt decodes afresh', () => {
  it("attempt 2's CONNACK and PUBLISH decode as such; attempt 1's partial PUBLISH says it was cut short", async () => {
    const url = await startServer();
    const clock = new ManualClock();
    engine = new Engine({ host: 'cli', version: 't', env: {}, batch: { intervalMs: 1 }, clock });
    const events: EngineEvent[] = [];
    let closed!: () => void;
    const ended = new Promise<void>((resolve) => (closed = resolve));
    engine.onEvent((event) => {
      events.push(event);
      if (event.type === 'attempt' && event.record.next) {
        const wait = event.record.next.waitMs;
        setImmediate(() => clock.advance(wait));
      }
      if (event.type === 'closed') closed();
    });
    const { sessionId } = valueOf(await engine.call('session:open', { options: { url, proxy: { mode: 'none' }, reconnect: {} } }));
    valueOf(await engine.call('session:decoding', { sessionId, choice: 'mqtt' }));
    await ended;

    const attempts = events.flatMap((e) => (e.type === 'attempt' ? [e.record] : []));
    expect(attempts.map((r) => [r.attempt, r.afterSeq, r.outcome.kind])).toEqual([
      [1, 1, 'failed'],
      [2, expect.any(Number), 'closed'],
    ]);
    const decode = async (id: string): Promise<Map<number, string>> => {
      const got = valueOf(await engine!.call('frames:decode', { sessionId: id, fromSeq: 1, toSeq: 6 }));
      return new Map(got.frames.map((f) => [f.seq, f.summary]));
    };
    const check = (summaries: Map<number, string>): void => {
      expect(summaries.get(1)).toMatch(/^not valid MQTT: part of an MQTT PUBLISH: .*the session ended before the rest$/);
      expect(summaries.get(2)).toBe('CONNACK rc=0');
      expect(summaries.get(3)).toMatch(/^PUBLISH sensors\/1 QoS 1 /);
    };
    check(await decode(sessionId));

    // A decoded search (the topic's stateful prefilter walk) finds attempt 2's PUBLISH, forward and backward.
    for (const backward of [false, true]) {
      const found = valueOf(await engine.call('frames:search', { sessionId, filter: { decoded: { topic: 'sensors/1' } }, backward, limit: 10 }));
      expect(found.matches.map((f) => f.seq)).toEqual([3]);
    }

    // The NDJSON export carries the attempts; its import decodes the same.
    const exported = valueOf(await engine.call('frames:export', { sessionId, format: 'ndjson' }));
    const imported = valueOf(await engine.call('frames:import', { name: 'again.ndjson', text: exported.text }));
    valueOf(await engine.call('session:decoding', { sessionId: imported.sessionId, choice: 'mqtt' }));
    check(await decode(imported.sessionId));
  });
});
