// The composer's proposed ids against the session's log, whoever sent its frames: an id opened
// by a frame the composer did not send (a subscribe typed in the Text box, a resend) is taken; the
// server's completion (GraphQL complete/error, MQTT PUBACK/SUBACK, Socket.IO ACK) frees it; a new
// reconnect attempt starts with nothing open. A proposal is never an id open in the session.
import { describe, expect, it } from 'vitest';
import type { ProtocolMessage } from '../../../src-main/shared/protocol-message';
import { emptyIdLedger, idInUse, namespaceConnectedAlready, namespaceNotConnected, noteAttemptStart, noteLogFrame, noteSent, proposeIdsFor, refreshProposals, type IdFamily, type IdLedger } from '../../../src-renderer/src/composer/composer-ids';
import { idEventsOfFrame, logEventsOfFrame, type IdEvent } from '../../../src-renderer/src/composer/log-ids';
import { emptyProtocolDraft } from '../../../src-renderer/src/composer/protocol-draft';

const S = 's1';

describe('the ids a frame of the log opens and closes', () => {
  it('GraphQL: a subscribe (or start) sent opens; complete, error or stop from either side closes; next does neither', () => {
    expect(idEventsOfFrame('graphql-ws', 'out', { type: 'subscribe', id: '3', payload: { query: 'subscription { a }' } })).toEqual([{ family: 'graphql', id: '3', role: 'opens' }]);
    expect(idEventsOfFrame('graphql-ws', 'out', { type: 'start', id: 'a' })).toEqual([{ family: 'graphql', id: 'a', role: 'opens' }]);
    expect(idEventsOfFrame('graphql-ws', 'in', { type: 'complete', id: '3' })).toEqual([{ family: 'graphql', id: '3', role: 'closes' }]);
    expect(idEventsOfFrame('graphql-ws', 'in', { type: 'error', id: '3', payload: [] })).toEqual([{ family: 'graphql', id: '3', role: 'closes' }]);
    expect(idEventsOfFrame('graphql-ws', 'out', { type: 'complete', id: '3' })).toEqual([{ family: 'graphql', id: '3', role: 'closes' }]);
    expect(idEventsOfFrame('graphql-ws', 'in', { type: 'next', id: '3', payload: {} })).toEqual([]);
  });

  it('STOMP: SUBSCRIBE opens its id, UNSUBSCRIBE closes it; a MESSAGE does neither', () => {
    expect(idEventsOfFrame('stomp', 'out', { command: 'SUBSCRIBE', headers: { id: 'sub-0', destination: '/q' }, body: '' })).toEqual([{ family: 'stomp', id: 'sub-0', role: 'opens' }]);
    expect(idEventsOfFrame('stomp', 'out', { command: 'UNSUBSCRIBE', headers: { id: 'sub-0' }, body: '' })).toEqual([{ family: 'stomp', id: 'sub-0', role: 'closes' }]);
    expect(idEventsOfFrame('stomp', 'in', { command: 'MESSAGE', headers: { subscription: 'sub-0', id: 'sub-0' }, body: '' })).toEqual([]);
    // Several frames in one message: each read.
    expect(idEventsOfFrame('stomp', 'out', { frames: [{ command: 'SUBSCRIBE', headers: { id: 'a' } }, { command: 'SUBSCRIBE', headers: { id: 'b' } }] }).map((e) => e.id)).toEqual(['a', 'b']);
  });

  it("MQTT: the client's packet ids open with its SUBSCRIBE, UNSUBSCRIBE, PUBLISH QoS > 0 and close with the broker's PUBACK, PUBCOMP, SUBACK, UNSUBACK; the broker's own ids are another space", () => {
    expect(idEventsOfFrame('mqtt', 'out', { cmd: 'publish', qos: 1, messageId: 5, topic: 't' })).toEqual([{ family: 'mqtt', id: '5', role: 'opens' }]);
    expect(idEventsOfFrame('mqtt', 'out', { cmd: 'publish', qos: 0, topic: 't' })).toEqual([]);
    expect(idEventsOfFrame('mqtt', 'out', { cmd: 'subscribe', messageId: 6 })).toEqual([{ family: 'mqtt', id: '6', role: 'opens' }]);
    for (const cmd of ['puback', 'pubcomp', 'suback', 'unsuback']) expect(idEventsOfFrame('mqtt', 'in', { cmd, messageId: 5 })).toEqual([{ family: 'mqtt', id: '5', role: 'closes' }]);
    // PUBREC does not free it (PUBREL and PUBCOMP follow); the broker's PUBLISH id 9 and the client's PUBACK of it are the broker's.
    expect(idEventsOfFrame('mqtt', 'in', { cmd: 'pubrec', messageId: 5 })).toEqual([]);
    expect(idEventsOfFrame('mqtt', 'in', { cmd: 'publish', qos: 1, messageId: 9 })).toEqual([]);
    expect(idEventsOfFrame('mqtt', 'out', { cmd: 'puback', messageId: 9 })).toEqual([]);
  });

  it("Socket.IO: an emit with an ack id opens it, the server's ACK closes it; the server's emits with ack are its own", () => {
    expect(idEventsOfFrame('socketio', 'out', { engineIO: 'message', type: 'EVENT', nsp: '/', id: 4, data: ['a'] })).toEqual([{ family: 'socketio', id: '4', role: 'opens' }]);
    expect(idEventsOfFrame('socketio', 'in', { engineIO: 'message', type: 'ACK', nsp: '/', id: 4, data: [] })).toEqual([{ family: 'socketio', id: '4', role: 'closes' }]);
    expect(idEventsOfFrame('socketio', 'in', { engineIO: 'message', type: 'EVENT', nsp: '/', id: 4, data: ['b'] })).toEqual([]);
    expect(idEventsOfFrame('socketio', 'out', { engineIO: 'message', type: 'EVENT', nsp: '/', data: ['c'] })).toEqual([]);
  });
});

const opens = (family: IdFamily, id: string): IdEvent[] => [{ family, id, role: 'opens' }];
const closes = (family: IdFamily, id: string): IdEvent[] => [{ family, id, role: 'closes' }];
const subscribe = (id: string): ProtocolMessage => ({ protocol: 'graphql', subprotocol: 'graphql-transport-ws', type: 'subscribe', id, query: 'subscription { a }', variables: '{}' });

describe('the ledger read from the log', () => {
  it('an id a frame of the log opened is not proposed (the composer moves past it), and is warned about when typed', () => {
    const draft = emptyProtocolDraft();
    const ledger = emptyIdLedger();
    // #1: a subscribe with id 1 typed in the Text box; the composer's proposal was 1.
    noteLogFrame(ledger, S, 1, opens('graphql', '1'));
    refreshProposals(draft, ledger);
    expect(draft.graphql.id).toBe('2');
    expect(ledger.proposed.graphql).toBe('2');
    expect(idInUse(subscribe('1'), ledger, S)?.text).toBe("The id 1 was sent in this session's subscribe already and is still open: send complete with it first, or use 2 (a server may end the connection on a reused id).");
  });

  it("the server's completion frees an id: no warning any more; not proposed again in the attempt (but for MQTT)", () => {
    const draft = emptyProtocolDraft();
    const ledger = emptyIdLedger();
    noteSent(draft, ledger, S, subscribe('1'));
    noteSent(draft, ledger, S, subscribe('2'));
    noteSent(draft, ledger, S, subscribe('3'));
    expect(idInUse(subscribe('3'), ledger, S)).not.toBeNull();
    noteLogFrame(ledger, S, 7, closes('graphql', '3'));
    expect(idInUse(subscribe('3'), ledger, S)).toBeNull();
    expect(ledger.open.graphql).toEqual(['1', '2']);
    // The proposal is 4; typed back to 3 and picked again, the subscribe proposes 4, not the freed 3.
    draft.graphql.id = '3';
    proposeIdsFor(draft, ledger, S);
    expect(draft.graphql.id).toBe('4');
    // MQTT reuses a packet id once the broker answered it.
    ledger.proposed.mqtt = '5';
    noteLogFrame(ledger, S, 8, opens('mqtt', '5'));
    refreshProposals(draft, ledger);
    expect(ledger.proposed.mqtt).toBe('6');
    noteLogFrame(ledger, S, 9, closes('mqtt', '5'));
    ledger.proposed.mqtt = '4';
    refreshProposals(draft, ledger);
    expect(ledger.proposed.mqtt).toBe('4');
  });

  it('reads each frame once, and a new reconnect attempt (a new connection) has nothing open', () => {
    const draft = emptyProtocolDraft();
    const ledger = emptyIdLedger();
    noteLogFrame(ledger, S, 1, opens('stomp', 'sub-0'));
    noteLogFrame(ledger, S, 2, closes('stomp', 'sub-0'));
    // Read again (a second read of the same page): no effect.
    noteLogFrame(ledger, S, 1, opens('stomp', 'sub-0'));
    expect(ledger.open.stomp).toEqual([]);
    noteLogFrame(ledger, S, 3, opens('stomp', 'sub-1'));
    noteAttemptStart(ledger, S, 4);
    expect(ledger.open.stomp).toEqual([]);
    // A frame of the old attempt read late changes nothing.
    noteLogFrame(ledger, S, 3, opens('stomp', 'x'));
    expect(ledger.open.stomp).toEqual([]);
    noteLogFrame(ledger, S, 4, opens('stomp', 'sub-0'));
    refreshProposals(draft, ledger);
    expect(draft.stomp.headers.find((h) => h.name === 'id')?.value).toBe('sub-1');
    // Another session: a ledger of its own.
    noteLogFrame(ledger, 's2', 1, []);
    expect(ledger.open.stomp).toEqual([]);
    expect(ledger.scannedTo).toBe(1);
  });

  it('never proposes an id open in the session, whatever the order of sends, log frames, completions and picks', () => {
    // A small seeded generator: the same streams every run.
    let seed = 7;
    const random = (n: number): number => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed % n;
    };
    const families: IdFamily[] = ['graphql', 'stomp', 'mqtt', 'socketio'];
    for (let stream = 0; stream < 100; stream++) {
      const draft = emptyProtocolDraft();
      const ledger: IdLedger = emptyIdLedger();
      let seq = 0;
      for (let step = 0; step < 60; step++) {
        const family = families[random(families.length)] ?? 'graphql';
        // Ids near the proposals, so collisions are likely.
        const id = family === 'stomp' ? `sub-${random(8)}` : String(random(8) + 1);
        const what = random(5);
        if (what === 0) noteSent(draft, ledger, S, subscribe(draft.graphql.id));
        else if (what === 1) noteLogFrame(ledger, S, ++seq, opens(family, id));
        else if (what === 2) noteLogFrame(ledger, S, ++seq, closes(family, id));
        else if (what === 3) noteAttemptStart(ledger, S, seq + 1);
        else {
          draft.graphql.id = String(random(8) + 1);
          proposeIdsFor(draft, ledger, S);
        }
        refreshProposals(draft, ledger);
        for (const f of families) expect(ledger.open[f]).not.toContain(ledger.proposed[f]);
      }
    }
  });
});

describe("a frame's receipts and Socket.IO namespaces (QA pass 3)", () => {
  const sio = (type: string, nsp: string) => ({ engineIO: 'message', type, nsp });
  it('reads who connected a namespace, by its server name, and the receipts of client frames only', () => {
    expect(logEventsOfFrame('socketio', 'in', sio('CONNECT', '/'))).toEqual([{ kind: 'joined', nsp: '/' }]);
    expect(logEventsOfFrame('socketio', 'out', sio('CONNECT', '/admin?token=1'))).toEqual([{ kind: 'asked', nsp: '/admin' }]);
    expect(logEventsOfFrame('socketio', 'in', sio('CONNECT_ERROR', '/admin'))).toEqual([{ kind: 'left', nsp: '/admin' }]);
    expect(logEventsOfFrame('socketio', 'out', sio('DISCONNECT', '/chat'))).toEqual([{ kind: 'left', nsp: '/chat' }]);
    expect(logEventsOfFrame('socketio', 'out', sio('EVENT', '/chat'))).toEqual([]);
    expect(logEventsOfFrame('stomp', 'out', { frames: [{ command: 'SEND', headers: { receipt: 'r-1' } }, { command: 'SEND', headers: { receipt: 'r-2' } }] })).toEqual([
      { kind: 'receipt', id: 'r-1' },
      { kind: 'receipt', id: 'r-2' },
    ]);
    expect(logEventsOfFrame('stomp', 'in', { command: 'RECEIPT', headers: { 'receipt-id': 'r-1', receipt: 'x' } })).toEqual([]);
  });

  it('a namespace is not connected until the server says so, unless the client asked; a refusal or a new attempt ends it', () => {
    const ledger = emptyIdLedger();
    const emit = (namespace: string): ProtocolMessage => ({ protocol: 'socketio', type: 'emit', namespace, event: 'chat', args: '[]' });
    noteLogFrame(ledger, 's1', 1, [], [{ kind: 'joined', nsp: '/' }]);
    // Not said before the log was read from the attempt's start.
    expect(namespaceNotConnected(emit('/chat'), ledger, 's1')).toBeNull();
    ledger.namespacesKnown = true;
    expect(namespaceNotConnected(emit('/'), ledger, 's1')).toBeNull();
    expect(namespaceNotConnected(emit('/chat'), ledger, 's1')?.text).toBe('/chat is not connected on this connection: a socket.io server closes the connection on an emit there; send a connect to /chat first.');
    noteLogFrame(ledger, 's1', 2, [], [{ kind: 'asked', nsp: '/chat' }]);
    expect(namespaceNotConnected(emit('/chat'), ledger, 's1')).toBeNull();
    noteLogFrame(ledger, 's1', 3, [], [{ kind: 'left', nsp: '/chat' }]);
    expect(namespaceNotConnected(emit('/chat'), ledger, 's1')).not.toBeNull();
    // A CONNECT the client sent again does not undo the server's: joined stays joined.
    noteLogFrame(ledger, 's1', 4, [], [{ kind: 'asked', nsp: '/' }]);
    expect(ledger.namespaces.get('/')).toBe('joined');
    noteAttemptStart(ledger, 's1', 10);
    expect(ledger.namespaces.size).toBe(0);
    expect(namespaceNotConnected(emit('/'), ledger, 's1')).toBeNull();
  });

  it('a connect to a namespace connected or asked for already is said (a socket.io server closes the connection on it); one left or refused is not', () => {
    const ledger = emptyIdLedger();
    const connect = (namespace: string): ProtocolMessage => ({ protocol: 'socketio', type: 'connect', namespace, event: '', args: '[]' });
    noteLogFrame(ledger, 's1', 1, [], [{ kind: 'joined', nsp: '/' }]);
    expect(namespaceConnectedAlready(connect('/'), ledger, 's1')).toEqual({
      namespace: '/',
      text: '/ is connected on this connection already: a socket.io server closes the connection on a second connect there; emit on / instead.',
    });
    expect(namespaceConnectedAlready(connect('/chat'), ledger, 's1')).toBeNull();
    // Another session's ledger says nothing of this one.
    expect(namespaceConnectedAlready(connect('/'), ledger, 's2')).toBeNull();
    noteLogFrame(ledger, 's1', 2, [], [{ kind: 'asked', nsp: '/admin' }]);
    expect(namespaceConnectedAlready(connect('/admin?token=1'), ledger, 's1')?.text).toBe(
      'a connect to /admin was sent on this connection already (no answer read yet): a socket.io server closes the connection on a second connect there; emit on /admin instead.',
    );
    noteLogFrame(ledger, 's1', 3, [], [{ kind: 'left', nsp: '/admin' }]);
    expect(namespaceConnectedAlready(connect('/admin'), ledger, 's1')).toBeNull();
    // An emit is namespaceNotConnected's to say.
    expect(namespaceConnectedAlready({ protocol: 'socketio', type: 'emit', namespace: '/', event: 'chat', args: '[]' }, ledger, 's1')).toBeNull();
    noteAttemptStart(ledger, 's1', 10);
    expect(namespaceConnectedAlready(connect('/'), ledger, 's1')).toBeNull();
  });
});
