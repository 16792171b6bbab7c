/**
 * How a SOCKS5 failure is classified from the bytes the proxy sent (the `socks` package only
 * gives message text, so the decision comes from the reply bytes instead).
 */
import { describe, expect, it } from 'vitest';
import { Socks5ReplyObserver, negotiationFailure } from '../../../src-main/core/proxy/socks-tunnel';

function observe(...chunks: number[][]): Socks5ReplyObserver {
  const observer = new Socks5ReplyObserver();
  for (const chunk of chunks) observer.feed(Buffer.from(chunk));
  return observer;
}

describe('Socks5ReplyObserver', () => {
  it('follows method choice, auth status and reply across chunk boundaries', () => {
    expect(observe([0x05], [0x02, 0x01], [0x00, 0x05, 0x02, 0x00]).observed).toEqual({
      version: 5,
      method: 2,
      authStatus: 0,
      replyVersion: 5,
      reply: 2,
      bytes: 7,
    });
  });

  it('stops at "no acceptable method"', () => {
    expect(observe([0x05, 0xff]).observed).toEqual({ version: 5, method: 0xff, bytes: 2 });
  });
});

describe('negotiationFailure', () => {
  const withUser = { username: 'bob' };
  const anonymous = {};
  it.each([
    ['nothing received', [], anonymous, 'PROXY_CLOSED'],
    ['an HTTP answer', [[0x48, 0x54, 0x54, 0x50]], anonymous, 'PROXY_BAD_RESPONSE'],
    ['no acceptable method, no credentials', [[0x05, 0xff]], anonymous, 'SOCKS_AUTH_FAILED'],
    ['no acceptable method, with credentials', [[0x05, 0xff]], withUser, 'SOCKS_AUTH_FAILED'],
    ['a method that was not offered', [[0x05, 0x01]], anonymous, 'PROXY_BAD_RESPONSE'],
    ['password rejected', [[0x05, 0x02, 0x01, 0x01]], withUser, 'SOCKS_AUTH_FAILED'],
    ['reply: not allowed', [[0x05, 0x00, 0x05, 0x02, 0x00, 0x01]], anonymous, 'SOCKS_REFUSED'],
    ['reply: host unreachable', [[0x05, 0x00, 0x05, 0x04, 0x00, 0x01]], anonymous, 'SOCKS_REFUSED'],
    ['reply with a bad version', [[0x05, 0x00, 0x04, 0x00]], anonymous, 'PROXY_BAD_RESPONSE'],
    ['closed after the method choice', [[0x05, 0x00]], anonymous, 'PROXY_CLOSED'],
  ] as const)('%s → %s', (_name, chunks, proxy, code) => {
    const failure = negotiationFailure(observe(...chunks.map((c) => [...c])).observed, proxy, { target: 'h:1' });
    expect(failure.netError.stage).toBe('tunnel');
    expect(failure.netError.code).toBe(code);
    expect(failure.netError.details.target).toBe('h:1');
  });

  it('names the reply code in the message', () => {
    const failure = negotiationFailure(observe([0x05, 0x00, 0x05, 0x05, 0x00, 0x01]).observed, {}, {});
    expect(failure.netError.message).toContain('reply 5: connection refused');
    expect(failure.netError.details.proxyResponse?.startLine).toBe('SOCKS5 05 connection refused');
  });
});
