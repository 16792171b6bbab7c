/**
 * Recognising GraphQL over WebSocket, SignalR, gzip and Base64 from the first messages; what
 * could be something else (a JSON chat message, random bytes, a hex string, a word) is not
 * taken for them. A recognised protocol is always a guess with its reason.
 */
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { recogniseFirstFrame } from '../../../src-main/core/decode/recognise-protocol';
import { SessionDecoding } from '../../../src-main/core/decode/session-decoding';

const bytes = (s: string): Uint8Array => new Uint8Array(Buffer.from(s));

describe('recognising the newer protocols from a first message', () => {
  it.each([
    ['graphql-ws connection_init', 'text', bytes('{"type":"connection_init","payload":{}}'), 'graphql-ws', 'a message is the GraphQL over WebSocket connection_init'],
    ['graphql-ws subscribe', 'text', bytes('{"id":"1","type":"subscribe","payload":{"query":"subscription { a }"}}'), 'graphql-ws', 'a message is the GraphQL over WebSocket subscribe'],
    ['SignalR handshake', 'text', bytes('{"protocol":"json","version":1}\u001e'), 'signalr', 'a message is a SignalR record (JSON ended by 0x1E)'],
    ['SignalR handshake response', 'text', bytes('{}\u001e'), 'signalr', 'a message is a SignalR record (JSON ended by 0x1E)'],
    ['gzip', 'binary', new Uint8Array(zlib.gzipSync('{"a":1}')), 'compressed', 'a message starts with the gzip signature 1f 8b 08'],
    ['Base64 of JSON', 'text', bytes(Buffer.from('{"price":12,"sym":"ABC"}').toString('base64')), 'base64', 'a message is Base64 text that carries gzip or JSON'],
    ['Base64 of gzip', 'text', bytes(zlib.gzipSync('hello').toString('base64')), 'base64', 'a message is Base64 text that carries gzip or JSON'],
  ] as const)('%s', (_name, opcode, payload, protocol, reason) => {
    expect(recogniseFirstFrame(opcode, payload)).toEqual({ protocol, reason });
  });

  it.each([
    ['a JSON chat message with a type', 'text', bytes('{"type":"chat","text":"hi"}')],
    ['a subscribe without a query', 'text', bytes('{"id":"1","type":"subscribe","payload":{}}')],
    ['JSON without a record separator', 'text', bytes('{"protocol":"json","version":1}')],
    ['a hex string', 'text', bytes('0123456789abcdef0123456789abcdef')],
    ['a long word', 'text', bytes('Supercalifragilisticexpialidocious')],
    ['Base64 of random bytes', 'text', bytes(Buffer.from([0x99, 0x12, 0xee, 0x01, 0x77, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0]).toString('base64'))],
    ['deflate (no signature that cannot be chance)', 'binary', new Uint8Array(zlib.deflateSync('{"a":1}'))],
  ] as const)('not taken: %s', (_name, opcode, payload) => {
    expect(recogniseFirstFrame(opcode, payload)).toBeUndefined();
  });

  it('auto decodes GraphQL as a guess from its connection_init on', () => {
    const chosen: string[] = [];
    const session = new SessionDecoding('auto', (active) => chosen.push(`${active.protocol} ${String(active.guess)}`));
    session.noteHandshake('/graphql', undefined);
    const first = session.decodeInOrder({ seq: 1, dir: 'out', opcode: 'text', bytes: bytes('{"type":"connection_init"}') });
    expect(chosen).toEqual(['graphql-ws true']);
    expect(first).toMatchObject({ kind: 'decoded', protocol: 'graphql-ws', summary: 'connection_init' });
  });

  it('a subprotocol names GraphQL before any message', () => {
    const session = new SessionDecoding('auto');
    session.noteHandshake('/graphql', 'graphql-transport-ws');
    expect(session.decoding).toEqual({ protocol: 'graphql-ws', guess: true, reason: 'the server chose the subprotocol graphql-transport-ws' });
  });
});
