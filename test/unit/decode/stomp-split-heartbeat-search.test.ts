/**
 * STOMP searches over streams whose heart-beats' CR LF are split across messages (CR ending one
 * message, LF starting the next in the same direction), a CR followed by a frame (not valid), a
 * CR left at the end of a session or cut short by a close, or the start of a frame left there:
 * every prefilter and proof (the probe, the string and header-line rules, the match proof) counts
 * what decoding every frame in order counts, forward and backward, live and once the session
 * ended (then what the last message of a direction left under way never came: session-end.ts). A frame after the LF may be passed over once the heart-beat has
 * ended (the direction is idle), never while its CR is kept.
 */
import { describe, expect, it } from 'vitest';
import { createDecoder } from '../../../src-main/core/decode/decoder-registry';
import { compareSearches, pick, seeded, type Message } from './prefilter-harness';

/** A frame the queries below read: a destination ending or nearly ending in p7, a JSON body. */
function frame(random: (n: number) => number): string {
  const eol = random(4) === 0 ? '\r\n' : '\n';
  const destination = pick(random, ['/t/p7', '/t/p70', '/t/p1']);
  const body = `{"sym":"${pick(random, ['A7', 'A70', 'B'])}","price":${random(100)}}`;
  return `${pick(random, ['MESSAGE', 'MESSAGE', 'SEND'])}${eol}destination:${destination}${eol}x-id:${random(3)}${eol}${eol}${body}\u0000`;
}

/** Messages in both directions: frames alone, frames and heart-beats split as described above. */
function stream(random: (n: number) => number, closing: boolean): Message[] {
  const messages: Message[] = [];
  const text = (dir: 'in' | 'out', s: string): void => {
    messages.push({ dir, opcode: random(4) === 0 ? 'binary' : 'text', bytes: Buffer.from(s, 'utf8') });
  };
  for (let i = 0; i < 40; i++) {
    const dir = random(3) === 0 ? 'out' : 'in';
    switch (random(7)) {
      case 0: // CR | LF, nothing else
        text(dir, '\r');
        text(dir, '\n');
        break;
      case 1: // a frame and the CR | the LF and a frame
        text(dir, `${frame(random)}\r`);
        text(dir, `\n${frame(random)}`);
        break;
      case 2: // a frame and the CR | the LF | a frame alone (passed over once the heart-beat ends)
        text(dir, `${frame(random)}\r`);
        text(dir, '\n');
        text(dir, frame(random));
        break;
      case 3: // CR | a frame: not valid
        text(dir, '\r');
        text(dir, frame(random));
        break;
      case 4: // CR | the other direction's frame | LF
        text(dir, '\r');
        text(dir === 'in' ? 'out' : 'in', frame(random));
        text(dir, '\n');
        break;
      case 5: // whole heart-beats
        text(dir, pick(random, ['\n', '\r\n', `${frame(random)}\r\n`]));
        break;
      default:
        text(dir, frame(random));
    }
  }
  // A CR left at the end of the session, or cut short by a close; the start of a frame the other way.
  text('in', '\r');
  if (random(2) === 0) text('out', frame(random).slice(0, 1 + random(30)));
  if (closing) messages.push({ dir: 'in', opcode: 'close', bytes: Buffer.from([3, 232]) });
  return messages;
}

const QUERIES = [
  // The probe, bytes first and not.
  '$.headers[*] =~ /p7$/',
  '$.headers.destination =~ /p7$/',
  '$.body =~ /A7/',
  // The string rule with the probe, the header-line needles, the destination's field rule.
  "$.body.sym == 'A7'",
  "$.headers[*] == '/t/p7'",
  "$.headers.destination == '/t/p7'",
  // The match proof (most frames match).
  "$.command == 'MESSAGE'",
  '$.body.price >= 0',
  // Heart-beats themselves, and what holds where nothing is selected.
  '$.heartbeat == true',
  "$.command != 'SEND'",
  // What a message leaving a frame under way holds while the session may go on.
  '$.continues == true',
  '$.bytesSoFar >= 1',
];

describe('STOMP search over heart-beats split across messages', () => {
  it('counts what decoding every frame in order counts', () => {
    const random = seeded(83);
    let matched = 0;
    let changedByEnd = 0;
    for (let round = 0; round < 30; round++) {
      const messages = stream(random, round % 2 === 0);
      const search = (ended: boolean): ReturnType<typeof compareSearches> =>
        compareSearches(messages, 'stomp', 'ws://h/stomp', () => createDecoder('stomp', {}), QUERIES.map((query) => ({ query })), undefined, undefined, ended);
      const live = search(false);
      const ended = search(true);
      for (const { label, expected, got } of [...live, ...ended.map((r) => ({ ...r, label: `ended: ${r.label}` }))]) expect(got, `round ${round} ${label}`).toEqual(expected);
      matched += live.filter(({ expected }) => expected.length > 0).length;
      changedByEnd += live.filter((r, k) => JSON.stringify(r.expected) !== JSON.stringify(ended[k]?.expected)).length;
    }
    expect(matched).toBeGreaterThan(30 * 4 * 8);
    // Not vacuous: the end changed what some searches find (the CR or frame start left last).
    expect(changedByEnd).toBeGreaterThan(30);
  });
});
