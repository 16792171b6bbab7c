/**
 * socketio-problem.ts against socket.io-parser itself: on generated packets (types, attachment
 * counts, namespaces, ids with whitespace and Unicode spaces, payloads of every kind, cut), the
 * payload starts where decodeString reads it (the data it gives is the JSON from there; none:
 * there is nothing there), and every error the parser throws is worded without falling back to
 * the parser's own message.
 */
import { Decoder } from 'socket.io-parser';
import { describe, expect, it } from 'vitest';
import { payloadIndex, socketIoPacketProblem } from '../../../src-main/core/decode/socketio-problem';
import { pick, seeded } from './prefilter-harness';

const PIECES = ['0', '1', '2', '3', '4', '5', '6', '7', '9', 'x', '', '1-', '2-', '11-', '0-', '-', '/admin', '/a,', ',', '7', '12', ' ', '\u00a0', '\t', '[', ']', '["chat",1]', '[1,2]', '[]', '[null]', '["connect"]', '{}', '{"sid":"s"}', '"str"', 'null', '5', '[{"a":[1,{"b":2}]}]', '{"message":"no"}'];

function packetOf(random: (n: number) => number): string {
  const type = pick(random, ['0', '1', '2', '3', '4', '5', '6', '2', '3', '7', 'x', ' ']);
  return type + Array.from({ length: random(5) }, () => pick(random, PIECES)).join('');
}

/** What socket.io-parser makes of `packet`: the packet or the error's message. */
function parse(packet: string): { data: unknown } | { error: string } {
  const decoder = new Decoder();
  let data: unknown;
  decoder.on('decoded', (decoded: { data?: unknown }) => (data = decoded.data));
  try {
    decoder.add(packet);
    // A binary header is held until its attachments come: its data is the held packet's.
    const held: unknown = Reflect.get(decoder, 'reconstructor');
    const heldPacket: unknown = typeof held === 'object' && held !== null ? Reflect.get(held, 'reconPack') : undefined;
    if (typeof heldPacket === 'object' && heldPacket !== null) return { data: Reflect.get(heldPacket, 'data') };
    return { data };
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  } finally {
    decoder.destroy();
  }
}

describe('socketio-problem.ts on generated packets (seeded)', () => {
  it('finds the payload where decodeString does, and words every error the parser throws', () => {
    const random = seeded(1414);
    const tally = { withData: 0, without: 0, errors: 0 };
    for (let round = 0; round < 20_000; round++) {
      const packet = packetOf(random);
      const result = parse(packet);
      const at = payloadIndex(packet);
      if ('error' in result) {
        tally.errors++;
        const problem = socketIoPacketProblem(packet, result.error, undefined);
        expect(problem, packet).not.toContain(result.error);
        expect(problem, packet).toMatch(/at character \d+/);
      } else if (result.data === undefined) {
        tally.without++;
        expect(at, packet).toBe(packet.length);
      } else {
        tally.withData++;
        expect(JSON.parse(packet.slice(at)), packet).toEqual(result.data);
      }
    }
    // Not vacuous: each kind is met often.
    expect(tally.withData).toBeGreaterThan(300);
    expect(tally.without).toBeGreaterThan(1000);
    expect(tally.errors).toBeGreaterThan(1000);
  });

  it("keeps an error it does not know as the parser's", () => {
    expect(socketIoPacketProblem('2["x"]', 'something new', undefined)).toBe(`something new in the Socket.IO packet '2["x"]'`);
  });
});
