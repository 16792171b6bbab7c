/**
 * Tests of decoded searches and exports under way: an MQTT 5 session imported into an engine
 * (a CONNECT, then PUBLISHes, every tenth to `a/7`), and a fake clock under which every look at
 * `performance.now` is a millisecond, so a slice (12 ms) reads a few thousand frames whatever
 * the machine's speed.
 */
import mqtt from 'mqtt-packet';
import { vi } from 'vitest';
import type { Engine } from '../../src-main/core/engine';

const v5 = { protocolVersion: 5 } as const;
const publish = (topic: string): Buffer => mqtt.generate({ cmd: 'publish', topic, payload: Buffer.from('x'), qos: 0, retain: false, dup: false }, v5);

/** The session's id; `frames` frames in all, (frames - 1) / 10 of them to `a/7`. */
export async function importMqtt(engine: Engine, frames: number): Promise<string> {
  const lines = [mqtt.generate({ cmd: 'connect', protocolId: 'MQTT', protocolVersion: 5, clientId: 'c', clean: true, keepalive: 30 }, v5)];
  for (let i = 1; i < frames; i++) lines.push(publish(i % 10 === 0 ? 'a/7' : 'b'));
  const text = lines
    .map((bytes, i) => JSON.stringify({ seq: i + 1, dir: i === 0 ? 'out' : 'in', opcode: 'binary', at: '2024-05-01T10:00:00.000Z', size: bytes.length, base64: bytes.toString('base64') }))
    .join('\n');
  const imported = await engine.call('frames:import', { text, name: 'mqtt.ndjson' });
  if (!imported.ok) throw new Error(imported.error.message);
  return imported.value.sessionId;
}

/** One turn of the event loop: a sliced search or export runs its next slice. */
export const turn = (): Promise<void> => new Promise<void>((resolve) => setImmediate(resolve));

/** Fake time (see the file comment); `looks` counts the clock's reads. Undone by vi.restoreAllMocks(). */
export function fakeClock(): { looks: () => number } {
  let now = 0;
  let looks = 0;
  vi.spyOn(performance, 'now').mockImplementation(() => {
    looks++;
    return (now += 1);
  });
  return { looks: () => looks };
}
