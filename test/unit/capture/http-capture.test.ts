import { PassThrough } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';
import {
  captureIncoming,
  captureOutgoing,
  decodeChunked,
  framingOf,
  rawHeaderPairs,
  readBodyPreview,
  statusLineOf,
  withBody,
} from '../../../src-main/core/capture/http-capture';
import { Deadline } from '../../../src-main/core/net/deadline';

describe('captures', () => {
  it('builds the status line from the response fields', () => {
    expect(statusLineOf({ httpVersion: '1.0', statusCode: 500, statusMessage: 'handshakefailed' })).toBe(
      'HTTP/1.0 500 handshakefailed',
    );
    expect(statusLineOf({ httpVersion: '1.1', statusCode: 200, statusMessage: '' })).toBe('HTTP/1.1 200');
  });

  it('keeps raw headers in wire order, redacted', () => {
    const capture = captureIncoming({
      httpVersion: '1.1',
      statusCode: 407,
      statusMessage: 'Proxy Authentication Required',
      rawHeaders: ['Proxy-Authenticate', 'Basic realm="corp"', 'Set-Cookie', 'a=1', 'Via', '1.1 squid'],
    });
    expect(capture).toEqual({
      startLine: 'HTTP/1.1 407 Proxy Authentication Required',
      headers: [
        ['Proxy-Authenticate', 'Basic realm="corp"'],
        ['Set-Cookie', '••••••'],
        ['Via', '1.1 squid'],
      ],
    });
  });

  it('redacts outgoing requests, including headers marked secret', () => {
    const capture = captureOutgoing(
      'CONNECT echo.test:443 HTTP/1.1',
      [
        ['Host', 'echo.test:443'],
        ['Proxy-Authorization', 'Basic YTpi'],
        ['X-Key', 'k'],
      ],
      { secretHeaders: ['x-key'] },
    );
    expect(capture.headers).toEqual([
      ['Host', 'echo.test:443'],
      ['Proxy-Authorization', 'Basic ••••••'],
      ['X-Key', '••••••'],
    ]);
    expect(withBody(capture, { text: 'x', bytes: 1, truncated: false })).toMatchObject({
      bodyPreview: 'x',
      bodyBytes: 1,
      bodyTruncated: false,
    });
  });

  it('pairs an odd rawHeaders list without inventing values', () => {
    expect(rawHeaderPairs(['A', '1', 'B'])).toEqual([['A', '1']]);
  });
});

describe('framingOf', () => {
  it.each([
    [[['Content-Length', '12']], { kind: 'length', length: 12 }],
    [[['Transfer-Encoding', 'chunked'], ['Content-Length', '12']], { kind: 'chunked' }],
    [[['Transfer-Encoding', 'gzip, chunked']], { kind: 'chunked' }],
    [[['Content-Length', 'twelve']], { kind: 'end' }],
    [[], { kind: 'end' }],
  ] as const)('%j → %j', (headers, expected) => {
    expect(framingOf(headers)).toEqual(expected);
  });
});

describe('decodeChunked', () => {
  it('decodes complete and partial chunked bodies', () => {
    expect(decodeChunked(Buffer.from('5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n'))).toEqual({
      body: Buffer.from('hello world'),
      complete: true,
    });
    expect(decodeChunked(Buffer.from('5;ext=1\r\nhel'))).toEqual({ body: Buffer.from('hel'), complete: false });
    expect(decodeChunked(Buffer.from('5\r\nhello\r\n'))).toEqual({ body: Buffer.from('hello'), complete: false });
  });

  it('stops at a size line that is not hex', () => {
    expect(decodeChunked(Buffer.from('zz\r\nhello'))).toEqual({ body: Buffer.alloc(0), complete: true });
  });
});

describe('readBodyPreview', () => {
  it('reads until the end of the stream', async () => {
    const stream = new PassThrough();
    const reading = readBodyPreview(stream, { deadline: new Deadline(1000) });
    stream.write('<html>');
    stream.end('</html>');
    expect(await reading).toEqual({ text: '<html></html>', bytes: 13, truncated: false });
  });

  it('caps what it keeps, counts what it saw, and stops reading at the cap', async () => {
    const stream = new PassThrough();
    const reading = readBodyPreview(stream, { capBytes: 10, deadline: new Deadline(1000) });
    stream.write('0123456789ABCDEF');
    const preview = await reading;
    expect(preview).toEqual({ text: '0123456789', bytes: 16, truncated: true });
    stream.destroy();
  });

  it('stops at Content-Length without waiting for the end, counting the initial bytes', async () => {
    const stream = new PassThrough();
    const reading = readBodyPreview(stream, {
      deadline: new Deadline(5000),
      initial: Buffer.from('hel'),
      framing: { kind: 'length', length: 5 },
    });
    stream.write('loEXTRA');
    expect(await reading).toEqual({ text: 'hello', bytes: 5, truncated: false });
    stream.destroy();
  });

  it('returns at once when the initial bytes already complete the body', async () => {
    const stream = new PassThrough();
    const preview = await readBodyPreview(stream, {
      deadline: new Deadline(5000),
      initial: Buffer.from('2\r\nhi\r\n0\r\n\r\n'),
      framing: { kind: 'chunked' },
    });
    expect(preview).toEqual({ text: 'hi', bytes: 2, truncated: false });
    stream.destroy();
  });

  it('returns what arrived when the deadline passes, marked truncated', async () => {
    vi.useFakeTimers();
    try {
      const stream = new PassThrough();
      const reading = readBodyPreview(stream, { deadline: new Deadline(200) });
      stream.write('partial');
      await vi.advanceTimersByTimeAsync(200);
      expect(await reading).toEqual({ text: 'partial', bytes: 7, truncated: true });
      stream.destroy();
    } finally {
      vi.useRealTimers();
    }
  });

  it('decodes invalid UTF-8 with replacement and drops a character cut by the cap', async () => {
    const invalid = new PassThrough();
    const a = readBodyPreview(invalid, { deadline: new Deadline(1000) });
    invalid.end(Buffer.from([0x61, 0xff, 0x62]));
    expect((await a).text).toBe('a\uFFFDb');

    const cut = new PassThrough();
    const b = readBodyPreview(cut, { capBytes: 2, deadline: new Deadline(1000) });
    cut.end(Buffer.from('a€', 'utf8'));
    expect(await b).toEqual({ text: 'a', bytes: 4, truncated: true });
  });

  it('ends quietly on a stream error', async () => {
    const stream = new PassThrough();
    stream.on('error', () => {});
    const reading = readBodyPreview(stream, { deadline: new Deadline(1000) });
    stream.write('abc');
    setImmediate(() => stream.destroy(new Error('boom')));
    expect(await reading).toMatchObject({ text: 'abc', bytes: 3 });
  });
});
