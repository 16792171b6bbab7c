/** A 431 to the upgrade: the header sizes as sent and the words about them. */
import { describe, expect, it } from 'vitest';
import { headerSizes, tooLargeWords } from '../../../src-main/core/session/upgrade-header-size';

describe('headerSizes', () => {
  it('counts each line as Name: value CRLF and finds the biggest', () => {
    expect(headerSizes([['Host', 'a'], ['Cookie', 'x'.repeat(100)]])).toEqual({ totalBytes: 9 + 110, biggest: { name: 'Cookie', bytes: 110 } });
  });
  it('Latin-1: one byte per character, as Node sends header values', () => {
    expect(headerSizes([['X-Name', 'é'.repeat(10)]]).totalBytes).toBe(8 + 10 + 2);
  });
  it('no headers: no biggest', () => {
    expect(headerSizes([])).toEqual({ totalBytes: 0 });
  });
  it('the first of equal sizes is named', () => {
    expect(headerSizes([['A', 'xy'], ['B', 'zw']]).biggest?.name).toBe('A');
  });
});

describe('tooLargeWords', () => {
  it('names the total and the biggest header, exact bytes and KiB', () => {
    const words = tooLargeWords('HTTP/1.1 431 Request Header Fields Too Large', { totalBytes: 20_600, biggest: { name: 'Cookie', bytes: 20_008 } });
    expect(words.message).toBe(
      "The server answered the WebSocket upgrade with HTTP/1.1 431 Request Header Fields Too Large: the request's headers are too large for it (20600 bytes (20.1 KiB) of header lines; the biggest is Cookie, 20008 bytes (19.5 KiB)).",
    );
    expect(words.hint).toMatch(/^Make the request's headers smaller: shorten or remove Cookie/);
  });
  it('small sizes in bytes only', () => {
    expect(tooLargeWords('HTTP/1.1 431 x', { totalBytes: 300, biggest: { name: 'X-A', bytes: 200 } }).message).toContain('(300 bytes of header lines; the biggest is X-A, 200 bytes)');
  });
});
