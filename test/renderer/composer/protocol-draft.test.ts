// The composer's protocol draft as typed → the contract's message: numbers typed as text, empty
// optional fields left out, the problems in words, and a saved message read back into a draft.
import { describe, expect, it } from 'vitest';
import { checkProtocolDraft, draftFromMessage, emptyProtocolDraft, headersAfterCommandChange, type ProtocolDraft, type StompCommand } from '../../../src-renderer/src/composer/protocol-draft';

function draft(change: (d: ProtocolDraft) => void): ProtocolDraft {
  const d = emptyProtocolDraft();
  change(d);
  return d;
}

describe('protocol drafts', () => {
  it('builds each protocol message from its fields', () => {
    expect(checkProtocolDraft(draft((d) => (d.stomp.headers[1] = { name: 'destination', value: '/q' })))).toEqual({
      ok: true,
      message: { protocol: 'stomp', command: 'SUBSCRIBE', headers: [{ name: 'id', value: 'sub-0' }, { name: 'destination', value: '/q' }], body: '' },
    });
    const mqtt = checkProtocolDraft(draft((d) => Object.assign(d, { protocol: 'mqtt' }, { mqtt: { ...d.mqtt, cmd: 'publish', topic: 't/1', qos: '1', messageId: '7', payload: 'x' } })));
    expect(mqtt).toEqual({ ok: true, message: { protocol: 'mqtt', packet: { cmd: 'publish', topic: 't/1', payload: 'x', qos: 1, retain: false, messageId: 7, protocolVersion: 4 } } });
    // The CONNECT's version field is every packet's: after choosing MQTT 5, a SUBSCRIBE is written as MQTT 5.
    const v5 = checkProtocolDraft(draft((d) => Object.assign(d, { protocol: 'mqtt' }, { mqtt: { ...d.mqtt, protocolVersion: '5', cmd: 'subscribe', topic: 'sensors/#', qos: '0', messageId: '1' } })));
    expect(v5).toEqual({ ok: true, message: { protocol: 'mqtt', packet: { cmd: 'subscribe', topic: 'sensors/#', qos: 0, messageId: 1, protocolVersion: 5 } } });
    const gql = checkProtocolDraft(draft((d) => Object.assign(d, { protocol: 'graphql' }, { graphql: { ...d.graphql, query: '{ a }', variables: '' } })));
    expect(gql.ok && gql.message).toMatchObject({ protocol: 'graphql', type: 'subscribe', id: '1', variables: '{}' });
  });

  it('says what is wrong, naming the field', () => {
    expect(checkProtocolDraft(draft((d) => (d.protocol = 'socketio')))).toEqual({ ok: false, error: 'The event name: an emit needs an event name.' });
    expect(checkProtocolDraft(draft((d) => Object.assign(d, { protocol: 'mqtt' }, { mqtt: { ...d.mqtt, keepalive: '1.5' } })))).toEqual({ ok: false, error: 'The keep-alive must be a whole number (got “1.5”).' });
    expect(checkProtocolDraft(draft((d) => Object.assign(d, { protocol: 'mqtt' }, { mqtt: { ...d.mqtt, cmd: 'publish', topic: 't', qos: '2', messageId: '' } })))).toEqual({ ok: false, error: 'A PUBLISH with QoS 1 or 2 needs a packet id.' });
    expect(checkProtocolDraft(draft((d) => Object.assign(d, { protocol: 'cbor', payload: { json: '{' } })))).toMatchObject({ ok: false, error: expect.stringMatching(/^The value must be JSON: /) });
  });

  it('refuses an emit of an event name Socket.IO reserves (a server closes the connection on it)', () => {
    const said = (event: string): string => {
      const checked = checkProtocolDraft(draft((d) => Object.assign(d, { protocol: 'socketio' }, { socketio: { ...d.socketio, event } })));
      return checked.ok ? 'ok' : checked.error;
    };
    for (const event of ['connect', 'connect_error', 'disconnect', 'disconnecting', 'newListener', 'removeListener']) {
      expect(said(event)).toBe(`The event name: “${event}” is reserved by Socket.IO; a server closes the connection on it.`);
    }
    // Only those exact names: others, and a namespace connect, go.
    expect(said('Connect')).toBe('ok');
    expect(said('connected')).toBe('ok');
    expect(said('chat')).toBe('ok');
    expect(checkProtocolDraft(draft((d) => Object.assign(d, { protocol: 'socketio' }, { socketio: { ...d.socketio, type: 'connect', event: 'connect' } }))).ok).toBe(true);
  });

  it('another STOMP command: typed headers stay, the previous proposals go, the new ones come first', () => {
    const h = (name: string, value: string) => ({ name, value });
    // Untouched: the new command's proposals only.
    expect(headersAfterCommandChange('SUBSCRIBE', 'SEND', [h('id', 'sub-0'), h('destination', '')])).toEqual([h('destination', '')]);
    // A typed destination stays; SUBSCRIBE's proposed id does not go out on the SEND, nor its receipt (one frame's).
    expect(headersAfterCommandChange('SUBSCRIBE', 'SEND', [h('id', 'sub-0'), h('destination', '/topic/prices'), h('receipt', 'r-1')])).toEqual([h('destination', '/topic/prices')]);
    // An id the user changed is theirs: kept; the destination UNSUBSCRIBE does not take (STOMP 1.2 §5) goes.
    expect(headersAfterCommandChange('SUBSCRIBE', 'UNSUBSCRIBE', [h('id', 'sub-7'), h('destination', '/q')])).toEqual([h('id', 'sub-7')]);
    // CONNECT's proposals are STOMP's too; a typed login stays after them.
    expect(headersAfterCommandChange('CONNECT', 'STOMP', [h('accept-version', '1.2'), h('host', '/'), h('login', 'guest')])).toEqual([h('accept-version', '1.2'), h('host', '/'), h('login', 'guest')]);
  });

  it("another STOMP command takes only the headers STOMP 1.2 gives it, and the user's own (QA: login and passcode went out on the SUBSCRIBE)", () => {
    const h = (name: string, value: string) => ({ name, value });
    // CONNECT -> SUBSCRIBE: login, passcode, heart-beat, a changed host go; a broker extension (persistent) stays.
    const connect = [h('accept-version', '1.1,1.2'), h('host', 'vh'), h('login', 'guest'), h('passcode', 'guest'), h('heart-beat', '0,0'), h('x-trace', 't1')];
    expect(headersAfterCommandChange('CONNECT', 'SUBSCRIBE', connect)).toEqual([h('id', 'sub-0'), h('destination', ''), h('x-trace', 't1')]);
    // SUBSCRIBE -> SEND: ack goes, selector (an extension) stays, the receipt goes.
    expect(headersAfterCommandChange('SUBSCRIBE', 'SEND', [h('id', 'sub-1'), h('destination', '/q'), h('ack', 'client'), h('selector', "a='b'"), h('receipt', 'r-1')])).toEqual([h('destination', '/q'), h('selector', "a='b'")]);
    // SEND -> UNSUBSCRIBE: content-type, transaction, destination and receipt go.
    expect(headersAfterCommandChange('SEND', 'UNSUBSCRIBE', [h('destination', '/q'), h('content-type', 'text/plain'), h('transaction', 'tx-1'), h('receipt', 'r-1')])).toEqual([h('id', 'sub-0')]);
    // SEND -> COMMIT: a typed transaction is one COMMIT takes.
    expect(headersAfterCommandChange('SEND', 'COMMIT', [h('destination', '/q'), h('transaction', 'tx-9')])).toEqual([h('transaction', 'tx-9')]);
  });

  it('a body on a STOMP frame that takes none is refused, citing STOMP 1.2', () => {
    const said = (command: StompCommand, body: string): string => {
      const checked = checkProtocolDraft(draft((d) => Object.assign(d, { stomp: { command, headers: [{ name: 'id', value: 'sub-0' }, { name: 'destination', value: '/q' }], body } })));
      return checked.ok ? 'ok' : checked.error;
    };
    expect(said('UNSUBSCRIBE', 'two')).toBe('The body: an UNSUBSCRIBE frame takes none (STOMP 1.2 allows a body only on SEND, MESSAGE and ERROR frames); empty the body or pick SEND.');
    expect(said('SUBSCRIBE', 'x')).toMatch(/^The body: a SUBSCRIBE frame takes none/);
    expect(said('SEND', 'two')).toBe('ok');
    expect(said('UNSUBSCRIBE', '')).toBe('ok');
  });

  it('says where a JSON field stops being JSON, not only that it does', () => {
    const said = (change: (d: ProtocolDraft) => void): string => {
      const checked = checkProtocolDraft(draft(change));
      return checked.ok ? 'ok' : checked.error;
    };
    // JSON.parse said 'Unexpected token 'c', "{"event": chat}" is not valid JSON': no place.
    expect(said((d) => Object.assign(d, { protocol: 'msgpack', payload: { json: '{"event": chat}' } }))).toBe('The value must be JSON: expected a value, found “c” at character 11.');
    expect(said((d) => Object.assign(d, { protocol: 'socketio' }, { socketio: { ...d.socketio, event: 'chat', args: '["hello", {"room": 1}' } }))).toBe(
      'The arguments must be JSON: expected “,” or “]” after an array item, found the end of the text at character 22.',
    );
    expect(said((d) => Object.assign(d, { protocol: 'graphql' }, { graphql: { ...d.graphql, query: '{ a }', variables: '{\n  "a": 1\n  "b": 2\n}' } }))).toBe(
      'The variables must be JSON: expected “,” or “}” after a property value, found “"” at line 3, column 3.',
    );
    // What JSON.parse takes is not refused by the finer reading.
    expect(said((d) => Object.assign(d, { protocol: 'cbor', payload: { json: '{"a": "\\u00e9", "b": [1e400, -0]}' } }))).toBe('ok');
  });

  it('reads a saved message back, keeping the other protocols\' fields', () => {
    const base = draft((d) => (d.socketio.event = 'kept'));
    const back = draftFromMessage({ protocol: 'mqtt', packet: { cmd: 'subscribe', topic: 'a/#', qos: 1, messageId: 3, protocolVersion: 5 } }, base);
    expect(back.protocol).toBe('mqtt');
    expect(back.mqtt).toMatchObject({ cmd: 'subscribe', topic: 'a/#', qos: '1', messageId: '3', protocolVersion: '5' });
    expect(back.socketio.event).toBe('kept');
    const checked = checkProtocolDraft(back);
    expect(checked.ok && checked.message).toEqual({ protocol: 'mqtt', packet: { cmd: 'subscribe', topic: 'a/#', qos: 1, messageId: 3, protocolVersion: 5 } });
  });
});
