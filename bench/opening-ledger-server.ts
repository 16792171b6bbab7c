/**
 * Bench: what the reconnect's opening ledger costs per server message (opening-ledger.ts
 * `received`, read by opening-server-reader.ts), µs of CPU a message, for a connection that kept
 * an opening and a subscription: STOMP MESSAGE frames (RabbitMQ's, with content-length; and
 * without, the fast skip) while nothing waits and while a SUBSCRIBE waits for its answer; MQTT
 * 100 B PUBLISHes (framed, not decoded); Socket.IO events and GraphQL `next` for comparison.
 * Run: npx tsx bench/opening-ledger-server.ts [messages]
 */
import mqtt from 'mqtt-packet';
import { OpeningLedger } from '../src-main/core/session/opening-ledger';
import { OpeningServerReader } from '../src-main/core/session/opening-server-reader';

const n = Number(process.argv[2] ?? 200_000);
const stomp = (command: string, headers: Record<string, string>, body = ''): Buffer => Buffer.from(`${command}\n${Object.entries(headers).map(([k, v]) => `${k}:${v}\n`).join('')}\n${body}\0`);

interface Case {
  name: string;
  ledger: () => OpeningLedger;
  message: { kind: 'text' | 'binary'; payload: Buffer };
}

function stompLedger(waiting: boolean): OpeningLedger {
  const l = new OpeningLedger({ url: 'ws://h/ws', subprotocols: ['v12.stomp'] });
  l.sent('text', stomp('CONNECT', { login: 'u', passcode: 'p' }));
  l.received('text', stomp('CONNECTED', { version: '1.2' }));
  l.sent('text', stomp('SUBSCRIBE', { id: 'sub-0', destination: '/topic/a' }));
  // Not waiting: a MESSAGE of its subscription showed it taken.
  if (!waiting) l.received('text', stomp('MESSAGE', { subscription: 'sub-0', destination: '/topic/a' }, 'x'));
  return l;
}

const body = 'x'.repeat(100);
const cases: Case[] = [
  { name: 'STOMP MESSAGE 100 B, content-length (RabbitMQ)', ledger: () => stompLedger(false), message: { kind: 'text', payload: stomp('MESSAGE', { subscription: 'sub-0', destination: '/topic/a', 'message-id': 'T_sub-0@@session-abc@@1', 'content-length': '100' }, body) } },
  { name: 'STOMP MESSAGE 100 B, no content-length', ledger: () => stompLedger(false), message: { kind: 'text', payload: stomp('MESSAGE', { subscription: 'sub-0', destination: '/topic/a', 'message-id': 'm-1' }, body) } },
  {
    name: 'MQTT PUBLISH 100 B',
    ledger: () => {
      const l = new OpeningLedger({ url: 'ws://h/mqtt', subprotocols: ['mqtt'] });
      l.sent('binary', mqtt.generate({ cmd: 'connect', protocolId: 'MQTT', protocolVersion: 4, clean: true, keepalive: 60, clientId: 'c' }, { protocolVersion: 4 }));
      l.sent('binary', mqtt.generate({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: 'a', qos: 0 }] }, { protocolVersion: 4 }));
      return l;
    },
    message: { kind: 'binary', payload: mqtt.generate({ cmd: 'publish', topic: 'sensors/7/temp', payload: Buffer.from(body), qos: 0, retain: false, dup: false }, { protocolVersion: 4 }) },
  },
  {
    name: 'Socket.IO event',
    ledger: () => {
      const l = new OpeningLedger({ url: 'ws://h/socket.io/?EIO=4&transport=websocket', subprotocols: [] });
      l.sent('text', Buffer.from('40/chat,'));
      return l;
    },
    message: { kind: 'text', payload: Buffer.from(`42/chat,["tick",{"v":"${body}"}]`) },
  },
  {
    name: 'GraphQL next',
    ledger: () => {
      const l = new OpeningLedger({ url: 'ws://h/graphql', subprotocols: ['graphql-transport-ws'] });
      l.sent('text', Buffer.from('{"type":"connection_init"}'));
      l.sent('text', Buffer.from('{"id":"1","type":"subscribe","payload":{"query":"subscription A { a }"}}'));
      return l;
    },
    message: { kind: 'text', payload: Buffer.from(`{"id":"1","type":"next","payload":{"data":{"a":"${body}"}}}`) },
  },
];

for (const c of cases) {
  const l = c.ledger();
  // Warm up, then measure; the seq grows as in a log.
  let seq = 100;
  for (let i = 0; i < 5000; i++) l.received(c.message.kind, c.message.payload, ++seq);
  const start = process.cpuUsage();
  for (let i = 0; i < n; i++) l.received(c.message.kind, c.message.payload, ++seq);
  const used = process.cpuUsage(start);
  console.log(`${c.name}: ${((used.user + used.system) / n).toFixed(3)} µs of CPU a message`);
}

{
  // While a SUBSCRIBE waits for its answer (at most 64 server messages), every message is read.
  const reader = new OpeningServerReader('stomp', 4);
  const payload = stomp('MESSAGE', { subscription: 'other', destination: '/topic/b', 'message-id': 'm-1', 'content-length': '100' }, body);
  for (let i = 0; i < 5000; i++) reader.read('text', payload, true);
  const start = process.cpuUsage();
  for (let i = 0; i < n; i++) reader.read('text', payload, true);
  const used = process.cpuUsage(start);
  console.log(`STOMP MESSAGE 100 B read while a frame waits (at most 64 messages after it): ${((used.user + used.system) / n).toFixed(3)} µs of CPU a message`);
}
