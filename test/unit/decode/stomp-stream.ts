/**
 * A generated STOMP stream for the prefilter and probe tests: frames from `make`, whole, several
 * to a message, split anywhere, heart-beats, a CONNECTED (1.0 or 1.2) now and then.
 */
import { binary, pick, type Message } from './prefilter-harness';

export function stompStream(random: (n: number) => number, make: (random: (n: number) => number) => string): Message[] {
  let bytes = '';
  for (let i = 0; i < 40; i++) {
    if (random(15) === 0) bytes += `CONNECTED\nversion:${pick(random, ['1.0', '1.2'])}\n\n\u0000`;
    if (random(10) === 0) bytes += pick(random, ['\n', '\r\n']);
    bytes += make(random);
  }
  const all = Buffer.from(bytes, 'utf8');
  const messages: Message[] = [];
  for (let at = 0; at < all.length; ) {
    const frameEnd = all.indexOf(0, at) + 1;
    const cut = random(5);
    // Mostly whole frames (with the EOLs after them), now and then cut anywhere or two frames at once.
    let end = frameEnd > at ? frameEnd : all.length;
    if (cut === 0) end = Math.min(all.length, at + 1 + random(60));
    else if (cut === 1 && frameEnd > at) end = all.indexOf(0, frameEnd) + 1 || all.length;
    while (end < all.length && (all[end] === 0x0a || (all[end] === 0x0d && all[end + 1] === 0x0a)) && random(2) === 0) end += all[end] === 0x0d ? 2 : 1;
    const dir = random(3) === 0 ? 'out' : 'in';
    const part = all.subarray(at, end);
    messages.push(random(4) === 0 ? binary(dir, part) : { dir, opcode: 'text', bytes: Buffer.from(part) });
    at = end;
  }
  return messages;
}
