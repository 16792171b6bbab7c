// The composer's read of the log for ids (src-renderer/src/composer/read-log-ids.ts) is a
// speed-up: the engine's decoded search finds the frames that can open or close an id, and only
// those are decoded. Its ledger must equal the one read from every frame decoded in order, on
// generated streams of each protocol, adversarial ones included (ids in every field, server ids
// of the same numbers, several frames in one message, answers without requests). The other
// things read with them count too: MQTT deliveries owed an answer and filters subscribed, SignalR
// streams, STOMP receipts, Socket.IO namespaces (otherQueriesFor, logEventsOfFrame).
import mqttPacket from 'mqtt-packet';
import { describe, expect, it } from 'vitest';
import { DecodeCommands } from '../../../src-main/core/decode-commands';
import { compileFilter } from '../../../src-main/core/search/compile-filter';
import { searchFrames } from '../../../src-main/core/search/frame-search';
import { FrameStore } from '../../../src-main/core/session/frame-store';
import { emptyIdLedger, noteLogFrame, type IdLedger } from '../../../src-renderer/src/composer/composer-ids';
import { idEventsOfFrame, logEventsOfFrame } from '../../../src-renderer/src/composer/log-ids';
import { otherQueriesFor, queriesFor } from '../../../src-renderer/src/composer/read-log-ids';

type Dir = 'in' | 'out';
type Frame = { dir: Dir; bytes: Buffer; opcode: 'text' | 'binary' };

function seeded(seed: number): (n: number) => number {
  let s = seed;
  return (n) => {
    s = (s * 1_103_515_245 + 12_345) % 2_147_483_648;
    return s % n;
  };
}

const text = (dir: Dir, t: string): Frame => ({ dir, bytes: Buffer.from(t), opcode: 'text' });

function graphql(r: (n: number) => number, count: number): Frame[] {
  const out = [text('out', '{"type":"connection_init"}'), text('in', '{"type":"connection_ack"}')];
  for (let i = 0; i < count; i++) {
    const id = String(r(6) + 1);
    const pick = r(7);
    if (pick === 0) out.push(text('out', `{"id":"${id}","type":"subscribe","payload":{"query":"subscription { a }"}}`));
    else if (pick === 1) out.push(text('in', `{"id":"${id}","type":"complete"}`));
    else if (pick === 2) out.push(text('in', `{"id":"${id}","type":"error","payload":[{"message":"no"}]}`));
    else if (pick === 3) out.push(text('out', `{"id":"${id}","type":"complete"}`));
    // A next whose data names the words the query looks for.
    else out.push(text('in', `{"id":"${id}","type":"next","payload":{"data":{"type":"subscribe","complete":"error"}}}`));
  }
  return out;
}

function stomp(r: (n: number) => number, count: number): Frame[] {
  const one = (command: string, headers: string, body = ''): string => `${command}\n${headers}\n\n${body}\u0000`;
  const out = [text('out', one('CONNECT', 'accept-version:1.2\nhost:/')), text('in', one('CONNECTED', 'version:1.2'))];
  for (let i = 0; i < count; i++) {
    const id = `sub-${r(5)}`;
    const pick = r(6);
    if (pick === 0) out.push(text('out', one('SUBSCRIBE', `id:${id}\ndestination:/q/${id}`)));
    else if (pick === 1) out.push(text('out', one('UNSUBSCRIBE', `id:${id}`)));
    // Two frames in one message.
    else if (pick === 2) out.push(text('out', one('SUBSCRIBE', `id:${id}\ndestination:/q`) + one('UNSUBSCRIBE', `id:sub-${r(5)}`)));
    else if (pick === 3) out.push(text('out', one('SEND', `destination:/q\nid:${id}`, 'SUBSCRIBE')));
    else out.push(text('in', one('MESSAGE', `subscription:${id}\nmessage-id:${i}\ndestination:/q`, 'UNSUBSCRIBE')));
  }
  return out;
}

function socketio(r: (n: number) => number, count: number): Frame[] {
  const out = [text('in', '0{"sid":"a","upgrades":[],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000}'), text('out', '40'), text('in', '40{"sid":"b"}')];
  for (let i = 0; i < count; i++) {
    const id = r(6) + 1;
    const pick = r(6);
    if (pick === 0) out.push(text('out', `42${id}["ask",{"type":"ACK"}]`));
    else if (pick === 1) out.push(text('in', `43${id}[{"ok":true}]`));
    // The server's own ack ids, and the client's answers to them.
    else if (pick === 2) out.push(text('in', `42${id}["server-asks"]`));
    else if (pick === 3) out.push(text('out', `43${id}[]`));
    else if (pick === 4) out.push(text('out', `42["no-ack",${id}]`));
    else out.push(text('in', `42["news",{"id":${id}}]`));
  }
  return out;
}

function mqtt(r: (n: number) => number, count: number): Frame[] {
  const bin = (dir: Dir, packet: Record<string, unknown>): Frame => ({ dir, bytes: mqttPacket.generate(packet as unknown as mqttPacket.Packet), opcode: 'binary' });
  const out = [bin('out', { cmd: 'connect', protocolId: 'MQTT', protocolVersion: 4, clientId: 'c', clean: true, keepalive: 60 }), bin('in', { cmd: 'connack', returnCode: 0, sessionPresent: false })];
  for (let i = 0; i < count; i++) {
    const messageId = r(6) + 1;
    const dir: Dir = r(2) === 0 ? 'out' : 'in';
    const pick = r(11);
    const topic = ['t/#', 'a', 'puback'][r(3)] ?? 't/#';
    if (pick === 0) out.push(bin('out', { cmd: 'subscribe', messageId, subscriptions: [{ topic, qos: 1 }] }));
    else if (pick === 1) out.push(bin('in', { cmd: 'suback', messageId, granted: [1] }));
    else if (pick === 2) out.push(bin(dir, { cmd: 'publish', topic: 'suback', payload: 'puback', qos: 1, messageId, retain: false, dup: false }));
    else if (pick === 3) out.push(bin(dir, { cmd: 'puback', messageId }));
    else if (pick === 4) out.push(bin(dir, { cmd: 'pubrec', messageId }));
    else if (pick === 5) out.push(bin(dir, { cmd: 'pubcomp', messageId }));
    else if (pick === 6) out.push(bin('out', { cmd: 'unsubscribe', messageId, unsubscriptions: [topic] }));
    // Ids up to 12 here: the answers above (1 to 6) leave some owed at the end, so the ledgers compared hold them.
    else if (pick === 7) out.push(bin(r(4) === 0 ? 'out' : 'in', { cmd: 'pubrel', messageId: r(12) + 1 }));
    else if (pick === 8) out.push(bin(r(4) === 0 ? 'out' : 'in', { cmd: 'publish', topic: 'pubrel', payload: 'pubrec', qos: 2, messageId: r(12) + 1, retain: false, dup: false }));
    else out.push(bin(dir, { cmd: 'publish', topic: 'x', payload: 'y', qos: 0, retain: false, dup: false }));
  }
  return out;
}

/** SignalR JSON records: invocations with and without ids, streams, cancels, completions, several to a message; ids in targets and arguments. */
function signalr(r: (n: number) => number, count: number): Frame[] {
  const RS = '\u001e';
  const out = [text('out', `{"protocol":"json","version":1}${RS}`), text('in', `{}${RS}`)];
  const record = (): { dir: Dir; json: string } => {
    const id = String(r(6) + 1);
    const dir: Dir = r(2) === 0 ? 'out' : 'in';
    const pick = r(8);
    if (pick === 0) return { dir: 'out', json: JSON.stringify({ type: 1, invocationId: id, target: 'Completion', arguments: ['StreamInvocation', id] }) };
    if (pick === 1) return { dir: 'out', json: JSON.stringify({ type: 4, invocationId: id, target: 'Counter', arguments: [1] }) };
    if (pick === 2) return { dir: 'out', json: JSON.stringify({ type: 5, invocationId: id }) };
    if (pick === 3) return { dir: 'in', json: JSON.stringify({ type: 3, invocationId: id, result: 'CancelInvocation' }) };
    if (pick === 4) return { dir, json: JSON.stringify({ type: 2, invocationId: id, item: { invocationId: id } }) };
    // The server's own invocation, and a client one with no id (nothing to answer).
    if (pick === 5) return { dir: 'in', json: JSON.stringify({ type: 1, invocationId: id, target: 'Ask', arguments: [] }) };
    if (pick === 6) return { dir: 'out', json: JSON.stringify({ type: 1, target: 'Send', arguments: [id] }) };
    return { dir, json: '{"type":6}' };
  };
  for (let i = 0; i < count; i++) {
    const first = record();
    const records = [first.json];
    // Several records in one message, one direction.
    while (r(3) === 0) {
      const more = record();
      if (more.dir === first.dir) records.push(more.json);
    }
    out.push(text(first.dir, records.map((j) => `${j}${RS}`).join('')));
  }
  return out;
}

const STREAMS = [
  { name: 'graphql', choice: 'graphql-ws', url: 'ws://api/graphql', make: graphql },
  { name: 'stomp', choice: 'stomp', url: 'ws://broker/stomp', make: stomp },
  { name: 'socketio', choice: 'socketio', url: 'ws://chat/socket.io/?EIO=4&transport=websocket', make: socketio },
  { name: 'mqtt', choice: 'mqtt', url: 'ws://broker/mqtt', make: mqtt },
  { name: 'signalr', choice: 'signalr', url: 'ws://hub/chat', make: signalr },
] as const;

type Session = Parameters<DecodeCommands['decode']>[0];

function engineOf(frames: Frame[], choice: string, url: string): { store: FrameStore; session: Session; decodes: DecodeCommands } {
  const store = new FrameStore();
  for (const f of frames) store.push(f.dir, f.opcode, f.bytes);
  const session: Session = { id: 's', url, frames: store, handshakeSteps: () => [] };
  const decodes = new DecodeCommands();
  const state = decodes.state(session, { sessionId: 's', choice });
  if (!state.ok) throw new Error(state.error.message);
  return { store, session, decodes };
}

/** What the composer proposes from: compared after every frame, not only at the end (a delivery owed is often answered by then). */
function ledgerView(ledger: IdLedger): string {
  return JSON.stringify({
    open: ledger.open,
    sent: Object.fromEntries(Object.entries(ledger.sent).map(([k, v]) => [k, [...v].sort()])),
    awaiting: ledger.awaiting,
    subscriptions: ledger.subscriptions,
    streams: [...ledger.streams].sort(),
    receipts: [...ledger.receipts].sort(),
    namespaces: [...ledger.namespaces].sort(),
  });
}

/** The ledger and its view after each frame (index seq - 1). */
interface Read {
  ledger: IdLedger;
  views: string[];
}

/** Every frame decoded in order, each read. */
function everyFrame(frames: Frame[], choice: string, url: string): Read {
  const { store, session, decodes } = engineOf(frames, choice, url);
  const ledger = emptyIdLedger();
  const views: string[] = [];
  for (let from = 1; from <= store.lastSeq; from += 1000) {
    const decoded = decodes.decode(session, { sessionId: 's', fromSeq: from, toSeq: Math.min(store.lastSeq, from + 999), values: true });
    if (!decoded.ok) throw new Error(decoded.error.message);
    for (const frame of decoded.value.frames) {
      const dir = store.entry(frame.seq)?.dir;
      if (dir && frame.kind === 'decoded') noteLogFrame(ledger, 's', frame.seq, idEventsOfFrame(frame.protocol, dir, frame.value), logEventsOfFrame(frame.protocol, dir, frame.value));
      views[frame.seq - 1] = ledgerView(ledger);
    }
  }
  return { ledger, views };
}

/** As read-log-ids.ts reads: the searches, then only the frames found. */
async function searched(frames: Frame[], choice: string, url: string): Promise<Read> {
  const { store, session, decodes } = engineOf(frames, choice, url);
  const state = decodes.state(session, { sessionId: 's' });
  const protocol = state.ok ? state.value.active?.protocol : undefined;
  if (protocol === undefined) throw new Error('no protocol');
  const found = new Map<number, Dir>();
  for (const query of [...queriesFor(protocol), ...otherQueriesFor(protocol)]) {
    const predicate = decodes.predicate(session, { query });
    if (!predicate.ok) throw new Error(predicate.error.message);
    const compiled = compileFilter({});
    if (!compiled.ok) throw new Error(compiled.problem.message);
    compiled.filter.decoded = predicate.value;
    const result = await searchFrames(store, compiled.filter, { searchId: 'x', limit: 5000 }, { cancelled: () => false, maxDurationMs: 60_000 });
    expect(result.nextSeq).toBeNull();
    for (const match of result.matches) found.set(match.seq, match.dir);
  }
  const ledger = emptyIdLedger();
  const seqs = [...found.keys()].sort((a, b) => a - b);
  const decodedFrames = new Map<number, { protocol: string; value: Parameters<typeof idEventsOfFrame>[2] }>();
  if (seqs.length > 0) {
    const decoded = decodes.decode(session, { sessionId: 's', seqs, values: true });
    if (!decoded.ok) throw new Error(decoded.error.message);
    for (const frame of decoded.value.frames) if (frame.kind === 'decoded') decodedFrames.set(frame.seq, { protocol: frame.protocol, value: frame.value });
  }
  // The frames not found open and close nothing: the view after them is the one before.
  const views: string[] = [];
  for (let seq = 1; seq <= store.lastSeq; seq++) {
    const frame = decodedFrames.get(seq);
    const dir = found.get(seq);
    if (frame && dir) noteLogFrame(ledger, 's', seq, idEventsOfFrame(frame.protocol, dir, frame.value), logEventsOfFrame(frame.protocol, dir, frame.value));
    views.push(ledgerView(ledger));
  }
  return { ledger, views };
}

describe('the composer reading ids through the search', () => {
  for (const stream of STREAMS) {
    it(`${stream.name}: the same ids open and used as reading every frame in order, after each frame, on 40 generated streams`, async () => {
      let events = 0;
      let owed = 0;
      for (let seed = 1; seed <= 40; seed++) {
        const frames = stream.make(seeded(seed), 60);
        const every = everyFrame(frames, stream.choice, stream.url);
        events += Object.values(every.ledger.sent).reduce((n, s) => n + s.size, 0);
        owed += every.views.filter((v) => /"awaiting":\{"puback":\[[^\]]|"pubrec":\[[^\]]|"pubcomp":\[[^\]]|"streams":\[[^\]]/.test(v)).length;
        expect((await searched(frames, stream.choice, stream.url)).views, `seed ${seed}`).toEqual(every.views);
      }
      // The streams do open ids (the comparison is not of two empty ledgers).
      expect(events).toBeGreaterThan(40);
      // Nor, for MQTT and SignalR, of ledgers that never owe an answer or follow a stream.
      if (stream.name === 'mqtt' || stream.name === 'signalr') expect(owed).toBeGreaterThan(40);
    });
  }
});
