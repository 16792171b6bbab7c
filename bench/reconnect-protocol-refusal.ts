/**
 * Bench: what the reconnect's refusal watch costs per server message (reconnect-protocol-refusal.ts
 * `received`), µs of CPU a message. STOMP is read for the whole attempt (an ERROR anywhere in the
 * stream: reconnect-stomp-error.ts follows frames across messages): a RabbitMQ-like MESSAGE of
 * 100 B, and one of 10 kB. MQTT and GraphQL are read only until
 * the session was accepted (CONNACK 0, connection_ack): after that `wantsIncoming` is false and the
 * connection does not call it, so the figure there is the check alone.
 * Run: npx tsx bench/reconnect-protocol-refusal.ts [messages]
 */
import mqtt from 'mqtt-packet';
import { ProtocolRefusalWatch } from '../src-main/core/session/reconnect-protocol-refusal';

const n = Number(process.argv[2] ?? 1_000_000);
const stomp = (command: string, headers: Record<string, string>, body = ''): Buffer => Buffer.from(`${command}\n${Object.entries(headers).map(([k, v]) => `${k}:${v}\n`).join('')}\n${body}\0`);
const message = (size: number): Buffer => stomp('MESSAGE', { subscription: 'sub-0', destination: '/topic/a', 'message-id': 'T_sub-0@@session-abc@@1', 'content-length': String(size) }, 'x'.repeat(size));

function measure(name: string, watch: ProtocolRefusalWatch, kind: 'text' | 'binary', payload: Buffer): void {
  for (let i = 0; i < 5000; i++) if (watch.wantsIncoming) watch.received(kind, payload);
  const start = process.cpuUsage();
  for (let i = 0; i < n; i++) if (watch.wantsIncoming) watch.received(kind, payload);
  const used = process.cpuUsage(start);
  if (watch.refusal !== undefined) throw new Error(`${name}: a refusal was read`);
  console.log(`${name}: ${((used.user + used.system) / n).toFixed(3)} µs of CPU a message`);
}

const stompWatch = (): ProtocolRefusalWatch => new ProtocolRefusalWatch({ url: 'ws://h/ws', subprotocols: ['v12.stomp'] });
measure('STOMP MESSAGE 100 B', stompWatch(), 'text', message(100));
measure('STOMP MESSAGE 10 kB', stompWatch(), 'text', message(10_000));

const mqttWatch = new ProtocolRefusalWatch({ url: 'ws://h/mqtt', subprotocols: ['mqtt'] });
mqttWatch.received('binary', mqtt.generate({ cmd: 'connack', sessionPresent: false, returnCode: 0 }, { protocolVersion: 4 }));
measure('MQTT PUBLISH 100 B after CONNACK 0', mqttWatch, 'binary', mqtt.generate({ cmd: 'publish', topic: 'sensors/7/temp', payload: Buffer.from('x'.repeat(100)), qos: 0, retain: false, dup: false }, { protocolVersion: 4 }));
