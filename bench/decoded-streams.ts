/**
 * The streams part (10) searches: a million frames of one protocol each, as a session of that
 * protocol would store them, with the field searched for on about one frame in 97 (the others
 * spread over 96 other values), so the search finds about 10,300 frames whatever the protocol.
 * Each stream also holds what makes its protocol stateful, so the prefilter is measured where it
 * must decode: Socket.IO binary events (a header, then an attachment that names the event),
 * events on a namespace and with ack ids; MQTT 3.1.1 PUBLISHes two to a message and one spanning
 * two messages; MQTT 5 PUBLISHes with properties and topic aliases (set, then used with an empty
 * topic); GraphQL over WebSocket results (`next`) named by their `subscribe` (ids reused after
 * `complete`); SignalR invocations, records shared and split.
 */
import mqtt from 'mqtt-packet';

export interface StreamFrame {
  dir: 'in' | 'out';
  opcode: 'text' | 'binary';
  bytes: Buffer;
}

export interface DecodedStream {
  /** The decoder to choose (session:decoding). */
  choice: 'stomp' | 'socketio' | 'mqtt' | 'graphql-ws' | 'signalr';
  url: string;
  /** The search (filter.decoded). */
  filter: { destination?: string; event?: string; topic?: string; operation?: string };
  /** Another value of the same field, searched after (a stateful prefilter walks again for it). */
  other: { destination?: string; event?: string; topic?: string; operation?: string };
  /** Calls `push` once per WebSocket message, in order, `count` messages in all. */
  fill(count: number, push: (frame: StreamFrame) => void): void;
}

const text = (dir: 'in' | 'out', s: string): StreamFrame => ({ dir, opcode: 'text', bytes: Buffer.from(s, 'utf8') });

export const STOMP_STREAM: DecodedStream = {
  choice: 'stomp',
  url: 'ws://broker/stomp',
  filter: { destination: '/topic/p7' },
  other: { destination: '/topic/p8' },
  fill(count, push) {
    for (let i = 1; i <= count; i++) {
      const body = `{"sym":"ABC${i % 97}","price":${(i * 7) % 10_000}}`;
      push(text('in', `MESSAGE\ndestination:/topic/p${i % 97}\nsubscription:sub-0\nmessage-id:${i}\ncontent-length:${Buffer.byteLength(body)}\n\n${body}\0`));
    }
  },
};

/** Events e0…e96 (e7 is searched for as `chat`), every 13th on /admin, every 7th with an ack id, every 50th a binary event. */
export const SOCKETIO_STREAM: DecodedStream = {
  choice: 'socketio',
  url: 'ws://chat/socket.io/?EIO=4&transport=websocket',
  filter: { event: 'chat' },
  other: { event: 'e8' },
  fill(count, push) {
    let n = 0;
    const emit = (frame: StreamFrame): boolean => {
      push(frame);
      return ++n < count;
    };
    if (!emit(text('in', '0{"sid":"abc","upgrades":[],"pingInterval":25000,"pingTimeout":20000}'))) return;
    for (let i = 1; ; i++) {
      const k = i % 97;
      const event = k === 7 ? 'chat' : `e${k}`;
      const nsp = i % 13 === 0 ? '/admin,' : '';
      const ack = i % 7 === 0 ? String(i) : '';
      const dir = i % 3 === 0 ? 'out' : 'in';
      if (i % 50 === 0) {
        // A binary event: the header, then its attachment, which the decoder shows as the event.
        if (!emit(text(dir, `451-${nsp}${ack}["${event}",{"_placeholder":true,"num":0},{"n":${i}}]`))) return;
        if (!emit({ dir, opcode: 'binary', bytes: Buffer.from([1, 2, 3, i & 0xff]) })) return;
        continue;
      }
      if (!emit(text(dir, `42${nsp}${ack}["${event}",{"room":"r${i % 10}","text":"hello number ${i}","at":${1_700_000_000_000 + i}}]`))) return;
    }
  },
};

function publish(version: 4 | 5, topic: string, payload: string, extra: Partial<mqtt.IPublishPacket> = {}): Buffer {
  return mqtt.generate({ cmd: 'publish', topic, payload: Buffer.from(payload), qos: 0, retain: false, dup: false, ...extra }, { protocolVersion: version });
}

function mqttStream(version: 4 | 5): DecodedStream {
  return {
    choice: 'mqtt',
    url: 'ws://broker/mqtt',
    filter: { topic: 'sensors/7/temp' },
    other: { topic: 'sensors/8/temp' },
    fill(count, push) {
      let n = 0;
      const emit = (dir: 'in' | 'out', bytes: Buffer): boolean => {
        push({ dir, opcode: 'binary', bytes });
        return ++n < count;
      };
      const connect = mqtt.generate({ cmd: 'connect', protocolId: 'MQTT', protocolVersion: version, clientId: 'bench', clean: true, keepalive: 60 }, { protocolVersion: version });
      if (!emit('out', connect)) return;
      if (!emit('in', mqtt.generate({ cmd: 'connack', sessionPresent: false, ...(version === 5 ? { reasonCode: 0 } : { returnCode: 0 }) }, { protocolVersion: version }))) return;
      for (let i = 1; ; i++) {
        const k = i % 97;
        const topic = `sensors/${k}/temp`;
        const payload = `{"t":${(i * 7) % 400},"n":${i}}`;
        if (version === 5 && i % 10 === 0) {
          // Topic aliases (1–97 by topic): the first PUBLISH of a topic sets its alias, later ones send only the alias.
          const seen = i > 97 * 10;
          const bytes = publish(5, seen ? '' : topic, payload, { properties: { topicAlias: k + 1, contentType: 'application/json' } });
          if (!emit('in', bytes)) return;
          continue;
        }
        if (i % 31 === 0) {
          // One PUBLISH spanning two messages.
          const bytes = publish(version, topic, payload, version === 5 ? { properties: { userProperties: { src: 'bench' } } } : {});
          const cut = Math.floor(bytes.length / 2);
          if (!emit('in', bytes.subarray(0, cut))) return;
          if (!emit('in', bytes.subarray(cut))) return;
          continue;
        }
        if (i % 17 === 0) {
          // Two PUBLISHes in one message (the next topic too).
          const next = `sensors/${(i + 1) % 97}/temp`;
          if (!emit('in', Buffer.concat([publish(version, topic, payload), publish(version, next, payload)]))) return;
          i++;
          continue;
        }
        if (!emit('in', publish(version, topic, payload, version === 5 ? { properties: { payloadFormatIndicator: true } } : {}))) return;
      }
    },
  };
}

export const MQTT4_STREAM = mqttStream(4);
export const MQTT5_STREAM = mqttStream(5);

/**
 * A GraphQL client with 97 subscriptions at a time (OnPrice7 searched for), each result a `next`
 * message named only by its id; every 1,000 messages one subscription completes and its id is
 * reused for another operation.
 */
export const GRAPHQL_STREAM: DecodedStream = {
  choice: 'graphql-ws',
  url: 'ws://api/graphql',
  filter: { operation: 'OnPrice7' },
  other: { operation: 'OnPrice8' },
  fill(count, push) {
    let n = 0;
    const emit = (frame: StreamFrame): boolean => {
      push(frame);
      return ++n < count;
    };
    const names: string[] = [];
    const subscribe = (id: number, name: string): StreamFrame =>
      text('out', JSON.stringify({ id: String(id), type: 'subscribe', payload: { query: `subscription ${name}($sym: String!) { price(sym: $sym) { sym price } }`, variables: { sym: `S${id}` } } }));
    if (!emit(text('out', '{"type":"connection_init","payload":{}}'))) return;
    if (!emit(text('in', '{"type":"connection_ack"}'))) return;
    for (let id = 0; id < 97; id++) {
      names[id] = `OnPrice${id}`;
      if (!emit(subscribe(id, `OnPrice${id}`))) return;
    }
    for (let i = 1; ; i++) {
      if (i % 1000 === 0) {
        // Operation id k ends and its id is taken by the next operation (alternating names).
        const id = (i / 1000) % 97;
        if (!emit(text('out', `{"id":"${id}","type":"complete"}`))) return;
        const name = names[id] === `OnPrice${id}` ? `OnTrade${id}` : `OnPrice${id}`;
        names[id] = name;
        if (!emit(subscribe(id, name))) return;
        continue;
      }
      const id = i % 97;
      if (!emit(text('in', `{"id":"${id}","type":"next","payload":{"data":{"price":{"sym":"S${id}","price":${(i * 7) % 10_000}}}}}`))) return;
    }
  },
};

const RS = '\u001e';

/**
 * SignalR's JSON hub protocol: the handshake each way, then invocations of targets T0…T96 (T7
 * searched for as `Send`) from the server, every 40th message two records, every 29th record
 * split over two messages, every 11th a completion of a client's invocation.
 */
export const SIGNALR_STREAM: DecodedStream = {
  choice: 'signalr',
  url: 'ws://hub/chat',
  filter: { event: 'Send' },
  other: { event: 'T8' },
  fill(count, push) {
    let n = 0;
    const emit = (frame: StreamFrame): boolean => {
      push(frame);
      return ++n < count;
    };
    if (!emit(text('out', `{"protocol":"json","version":1}${RS}`))) return;
    if (!emit(text('in', `{}${RS}`))) return;
    const invocation = (i: number): string => `{"type":1,"target":"${i % 97 === 7 ? 'Send' : `T${i % 97}`}","arguments":["room${i % 10}",{"text":"hello number ${i}","n":${i}}]}${RS}`;
    for (let i = 1; ; i++) {
      if (i % 11 === 0) {
        if (!emit(text('in', `{"type":3,"invocationId":"${i}","result":${i}}${RS}`))) return;
        continue;
      }
      if (i % 29 === 0) {
        const record = invocation(i);
        if (!emit(text('in', record.slice(0, 20)))) return;
        if (!emit(text('in', record.slice(20)))) return;
        continue;
      }
      if (i % 40 === 0) {
        if (!emit(text('in', invocation(i) + invocation(i + 1)))) return;
        i++;
        continue;
      }
      if (!emit(text('in', invocation(i)))) return;
    }
  },
};

export const DECODED_STREAMS = { stomp: STOMP_STREAM, socketio: SOCKETIO_STREAM, mqtt4: MQTT4_STREAM, mqtt5: MQTT5_STREAM, graphql: GRAPHQL_STREAM, signalr: SIGNALR_STREAM } as const;
