import { describe, expect, it } from 'vitest';
import { StompDecoder } from '../../../src-main/core/decode/stomp-decoder';
import type { WireFrame } from '../../../src-main/core/decode/decoded-frame';
import { textFrame } from './wire';

function decodeOne(text: string): ReturnType<StompDecoder['decode']> {
  return new StompDecoder().decode(textFrame(text));
}

describe('STOMP decoder: whole frames', () => {
  const table: [string, string, string][] = [
    ['subscribe', 'SUBSCRIBE\nid:sub-0\ndestination:/topic/prices\n\n\u0000', 'SUBSCRIBE /topic/prices id=sub-0'],
    ['connect with heart-beat', 'CONNECT\naccept-version:1.2\nhost:broker\nheart-beat:10000,10000\n\n\u0000', 'CONNECT broker accept-version=1.2 heart-beat=10000,10000'],
    ['connected', 'CONNECTED\nversion:1.2\nheart-beat:0,0\n\n\u0000', 'CONNECTED version=1.2 heart-beat=0,0'],
    ['send with body', 'SEND\ndestination:/queue/a\ncontent-type:text/plain\n\nhello\u0000', 'SEND /queue/a 5 B'],
    ['message with content-length and NUL inside', 'MESSAGE\ndestination:/topic/x\nsubscription:0\nmessage-id:7\ncontent-length:3\n\na\u0000b\u0000\n', 'MESSAGE /topic/x 3 B subscription=0 message-id=7'],
    ['receipt', 'RECEIPT\nreceipt-id:77\n\n\u0000', 'RECEIPT receipt-id=77'],
    ['error', 'ERROR\nmessage:bad thing\n\n\u0000', "ERROR 'bad thing'"],
    ['CRLF line ends', 'SUBSCRIBE\r\nid:1\r\ndestination:/q\r\n\r\n\u0000', 'SUBSCRIBE /q id=1'],
    ['heart-beat', '\n', 'heart-beat'],
  ];
  it.each(table)('%s', (_name, text, summary) => {
    const result = decodeOne(text);
    expect(result).toMatchObject({ kind: 'decoded', protocol: 'stomp', summary });
  });

  it('says a body\'s size as the Size column does: bytes under 1 KiB, then KiB and MiB', () => {
    const send = (size: number): string | undefined => decodeOne(`SEND\ndestination:/q\n\n${'x'.repeat(size)}\u0000`)?.summary;
    expect(send(1023)).toBe('SEND /q 1023 B');
    expect(send(1536)).toBe('SEND /q 1.5 KiB');
    expect(send(20 * 1024 * 1024)).toBe('SEND /q 20.0 MiB');
  });

  it('unescapes header values (1.2) and keeps the first of a repeated header', () => {
    const result = decodeOne('MESSAGE\ndestination:/a\\cb\\nc\\\\d\ndestination:/second\n\n\u0000');
    expect(result?.kind).toBe('decoded');
    if (result?.kind !== 'decoded') return;
    expect(result.value).toMatchObject({ command: 'MESSAGE', headers: { destination: '/a:b\nc\\d' } });
    expect(result.summary).toBe('MESSAGE /a:b\nc\\d');
  });

  it('does not unescape CONNECT headers', () => {
    const result = decodeOne('CONNECT\nlogin:a\\cb\n\n\u0000');
    expect(result?.kind === 'decoded' && result.value).toMatchObject({ headers: { login: 'a\\cb' } });
  });

  it('lists several frames in one message', () => {
    const result = decodeOne('RECEIPT\nreceipt-id:1\n\n\u0000\nRECEIPT\nreceipt-id:2\n\n\u0000');
    expect(result).toMatchObject({ kind: 'decoded', summary: '2 frames: RECEIPT receipt-id=1 · RECEIPT receipt-id=2' });
  });

  it('joins a frame split across messages, each direction on its own', () => {
    const decoder = new StompDecoder();
    expect(decoder.decode(textFrame('MESSAGE\ndestination:/t\n', 'in'))).toMatchObject({ kind: 'partial' });
    // An outgoing frame in between does not disturb the incoming one.
    expect(decoder.decode(textFrame('ACK\nid:9\n\n\u0000', 'out'))).toMatchObject({ kind: 'decoded', summary: 'ACK id=9' });
    expect(decoder.decode(textFrame('\nbody\u0000', 'in'))).toMatchObject({ kind: 'decoded', summary: 'MESSAGE /t 4 B', value: { body: 'body' } });
  });

  it('reads headers without escapes after CONNECTED version:1.0', () => {
    const decoder = new StompDecoder();
    decoder.decode(textFrame('CONNECTED\nversion:1.0\n\n\u0000'));
    const result = decoder.decode(textFrame('MESSAGE\ndestination:/a\\tb\n\n\u0000'));
    expect(result).toMatchObject({ kind: 'decoded', summary: 'MESSAGE /a\\tb' });
  });
});

describe('STOMP decoder: malformed frames are "not valid STOMP: what and where"', () => {
  const table: [string, string, RegExp][] = [
    ['unknown command', 'HELLO\n\n\u0000', /^not valid STOMP: unknown command "HELLO" at byte 0$/],
    ['header without colon', 'SEND\ndestination:/q\nbroken\n\n\u0000', /header line 3 of SEND \(byte 20\) has no ':'/],
    ['bad escape', 'SEND\ndestination:/a\\tb\n\n\u0000', /undefined escape \\t in header 'destination' on line 2 of SEND/],
    ['escape at the end', 'SEND\nx:a\\\n\n\u0000', /undefined escape \\ at the end in header 'x'/],
    ['content-length not a number', 'SEND\ncontent-length:ten\n\nabc\u0000', /content-length "ten" of SEND is not a number of bytes/],
    ['body longer than content-length', 'SEND\ncontent-length:2\n\nabcdef\u0000', /content-length 2 of SEND ends the body at byte 25, where there is no NUL/],
  ];
  it.each(table)('%s', (_name, text, problem) => {
    const result = decodeOne(text);
    expect(result?.kind).toBe('invalid');
    expect(result?.summary).toMatch(problem);
  });

  it('a truncated frame waits for more, then a message that cannot continue it is not valid', () => {
    const decoder = new StompDecoder();
    expect(decoder.decode(textFrame('SEND\ndestination:/q\n\nhal'))).toMatchObject({ kind: 'partial', summary: expect.stringMatching(/continues/) as unknown });
    // A header-less continuation is body text; only the NUL ends it.
    expect(decoder.decode(textFrame('f\u0000'))).toMatchObject({ kind: 'decoded', summary: 'SEND /q 4 B' });
    const fresh = new StompDecoder();
    expect(fresh.decode(textFrame('SUBSCRIBE\nid:1\n'))).toMatchObject({ kind: 'partial' });
    expect(fresh.decode(textFrame('garbage line\n\n\u0000'))?.summary).toMatch(/^not valid STOMP: header line 3 of SUBSCRIBE .*has no ':'.*carried over/);
    // After an invalid frame the direction starts clean.
    expect(fresh.decode(textFrame('RECEIPT\nreceipt-id:5\n\n\u0000'))).toMatchObject({ kind: 'decoded', summary: 'RECEIPT receipt-id=5' });
  });
});

describe('STOMP decoder: header names that are JavaScript property names', () => {
  it('keeps a header named __proto__ as a header, and the first of repeats', () => {
    const result = new StompDecoder().decode(textFrame('MESSAGE\n__proto__:x\ndestination:/a\n__proto__:y\n\n\u0000'));
    expect(result?.kind).toBe('decoded');
    if (result?.kind !== 'decoded') return;
    // Compared as JSON text: an object literal's __proto__ would set a prototype, not a key.
    expect(JSON.stringify(result.value)).toBe('{"command":"MESSAGE","headers":{"__proto__":"x","destination":"/a"},"headerList":[["__proto__","x"],["destination","/a"],["__proto__","y"]],"body":""}');
  });
});

describe('STOMP decoder: a close frame that cuts a frame short', () => {
  const close = (dir: 'in' | 'out'): WireFrame => ({ seq: 0, dir, opcode: 'close', bytes: new Uint8Array(0) });
  const start = 'MESSAGE\ndestination:/t\n';

  it('names the frame under way in its direction and how much of it arrived, changing nothing', () => {
    const decoder = new StompDecoder();
    expect(decoder.decode(textFrame(start, 'in'))).toMatchObject({ kind: 'partial', summary: `part of a STOMP frame (${start.length} B so far, continues in a later message)` });
    // Mid-frame without a NUL: kept as a further chunk, unparsed.
    expect(decoder.decode(textFrame('x-a:1\n', 'in'))).toMatchObject({ kind: 'partial', summary: `part of a STOMP frame (${start.length + 6} B so far, continues in a later message)` });
    const before = decoder.snapshot();
    expect(decoder.decode(close('in'))).toMatchObject({
      kind: 'invalid',
      protocol: 'stomp',
      summary: `not valid STOMP: a close frame, which cuts short the MESSAGE under way in this direction: ${start.length + 6} B of it arrived`,
    });
    expect(decoder.snapshot()).toEqual(before);
    // Nothing may follow a close; were something to, it would still finish the frame (the close reset nothing).
    expect(decoder.decode(textFrame('\nbody\u0000', 'in'))).toMatchObject({ kind: 'decoded', summary: 'MESSAGE /t 4 B' });
  });

  it('with nothing under way a close decodes to nothing, as a ping does', () => {
    const decoder = new StompDecoder();
    expect(decoder.decode(close('in'))).toBeUndefined();
    decoder.decode(textFrame('RECEIPT\nreceipt-id:1\n\n\u0000', 'in'));
    expect(decoder.decode(close('in'))).toBeUndefined();
    expect(decoder.decode(close('out'))).toBeUndefined();
  });

  it('each direction on its own: a close answers for its direction only', () => {
    const decoder = new StompDecoder();
    expect(decoder.decode(textFrame('SEND\ndestination:/q\n\nhal', 'out'))).toMatchObject({ kind: 'partial' });
    expect(decoder.decode(close('in'))).toBeUndefined();
    expect(decoder.decode(close('out'))?.summary).toBe('not valid STOMP: a close frame, which cuts short the SEND under way in this direction: 24 B of it arrived');
    expect(decoder.decode(textFrame(start, 'in'))).toMatchObject({ kind: 'partial' });
    expect(decoder.decode(close('in'))?.summary).toBe(`not valid STOMP: a close frame, which cuts short the MESSAGE under way in this direction: ${start.length} B of it arrived`);
    expect(decoder.decode(textFrame('f\u0000', 'out'))).toMatchObject({ kind: 'decoded', summary: 'SEND /q 4 B' });
    expect(decoder.decode(close('out'))).toBeUndefined();
  });

  it('a frame after whole ones, a command line not yet whole, CRLF, a lone CR, and a frame restored from a snapshot', () => {
    const decoder = new StompDecoder();
    expect(decoder.decode(textFrame('RECEIPT\nreceipt-id:1\n\n\u0000\nUNSUBSCRIBE\r\nid:', 'in'))?.summary).toBe('RECEIPT receipt-id=1 · then part of a frame (16 B, continues)');
    expect(decoder.decode(close('in'))?.summary).toBe('not valid STOMP: a close frame, which cuts short the UNSUBSCRIBE under way in this direction: 16 B of it arrived');
    const restored = new StompDecoder();
    const snapshot = decoder.snapshot();
    if (!snapshot) throw new Error('expected a snapshot');
    restored.restore(snapshot);
    expect(restored.decode(close('in'))?.summary).toBe(decoder.decode(close('in'))?.summary);
    const command = new StompDecoder();
    command.decode(textFrame('MESS', 'in'));
    expect(command.decode(close('in'))?.summary).toBe('not valid STOMP: a close frame, which cuts short the frame under way in this direction: 4 B of it arrived');
    const cr = new StompDecoder();
    expect(cr.decode(textFrame('\r', 'in'))).toMatchObject({ kind: 'partial' });
    expect(cr.decode(close('in'))?.summary).toBe('not valid STOMP: a close frame, which cuts short the heart-beat under way in this direction (a CR without its LF)');
  });
});

describe("STOMP decoder: a heart-beat's CR LF split across messages (STOMP 1.2: an EOL is LF or CR LF)", () => {
  const close = (dir: 'in' | 'out'): WireFrame => ({ seq: 0, dir, opcode: 'close', bytes: new Uint8Array(0) });

  it('reads CR | LF as a heart-beat in the message that brings the LF, as RabbitMQ reads it', () => {
    const decoder = new StompDecoder();
    expect(decoder.decode(textFrame('\r', 'in'))).toMatchObject({ kind: 'partial', summary: 'the CR of a heart-beat (CR LF), its LF in a later message' });
    expect(decoder.idle('in')).toBe(false);
    expect(decoder.decode(textFrame('\n', 'in'))).toMatchObject({ kind: 'decoded', summary: 'heart-beat', value: { heartbeat: true } });
    expect(decoder.idle('in')).toBe(true);
    // After a frame in the same message, and with a frame after the LF, whole or not.
    expect(decoder.decode(textFrame('RECEIPT\nreceipt-id:1\n\n\u0000\r', 'in'))?.summary).toBe('RECEIPT receipt-id=1 · then the CR of a heart-beat (its LF in a later message)');
    expect(decoder.decode(textFrame('\nRECEIPT\nreceipt-id:2\n\n\u0000', 'in'))?.summary).toBe('2 frames: heart-beat · RECEIPT receipt-id=2');
    decoder.decode(textFrame('\r', 'in'));
    expect(decoder.decode(textFrame('\nSEND\ndesti', 'in'))?.summary).toBe('heart-beat · then part of a frame (10 B, continues)');
  });

  it('each direction on its own', () => {
    const decoder = new StompDecoder();
    decoder.decode(textFrame('\r', 'in'));
    expect(decoder.decode(textFrame('\n', 'out'))?.summary).toBe('heart-beat');
    expect(decoder.idle('in')).toBe(false);
    expect(decoder.decode(textFrame('\n', 'in'))?.summary).toBe('heart-beat');
  });

  it('a CR then anything but LF is not valid (RabbitMQ: unexpected chars between frames), and the direction starts afresh', () => {
    const decoder = new StompDecoder();
    decoder.decode(textFrame('\r', 'in'));
    expect(decoder.decode(textFrame('RECEIPT\nreceipt-id:1\n\n\u0000', 'in'))?.summary).toBe('not valid STOMP: a CR at byte 0 not followed by LF (an end of line between frames is LF or CR LF) (counting the 1 B carried over from earlier messages)');
    expect(decoder.idle('in')).toBe(true);
    decoder.decode(textFrame('\r', 'in'));
    expect(decoder.decode(textFrame('RECEIPT', 'in'))).toMatchObject({ kind: 'invalid' });
    decoder.decode(textFrame('\r', 'in'));
    expect(decoder.decode(textFrame('\r', 'in'))).toMatchObject({ kind: 'invalid' });
    expect(decoder.decode(textFrame('\rRECEIPT\nreceipt-id:1\n\n\u0000', 'in'))?.summary).toBe('not valid STOMP: a CR at byte 0 not followed by LF (an end of line between frames is LF or CR LF)');
  });

  it('a CR alone at the end of a session stays the CR of a heart-beat; a close cuts it short', () => {
    const decoder = new StompDecoder();
    expect(decoder.decode(textFrame('MESSAGE\ndestination:/t\n\n\u0000\r', 'in'))?.summary).toBe('MESSAGE /t · then the CR of a heart-beat (its LF in a later message)');
    expect(decoder.decode(close('in'))?.summary).toBe('not valid STOMP: a close frame, which cuts short the heart-beat under way in this direction (a CR without its LF)');
  });
});
