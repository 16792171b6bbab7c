/**
 * A session connects where shared/endpoint-url.ts says the server URL points, the parser that
 * scoped its secret headers: a URL that reads two ways never gets as far as a socket, even from
 * a caller that skipped the contract's check.
 */
import { describe, expect, it } from 'vitest';
import { WsSession } from '../../../src-main/core/session/ws-session';
import { connectionOptionsSchema } from '../../../src-main/shared/model';

function sessionFor(url: string): WsSession {
  const options = { ...connectionOptionsSchema.parse({ url: 'ws://127.0.0.1:1/', proxy: { mode: 'none' } }), url };
  return new WsSession({ id: 's', options, environment: { env: {} }, emit: () => undefined });
}

describe('WsSession target', () => {
  it.each([
    ['ws://127.0.0.1:1\\@127.0.0.1:2/', 'a backslash is not allowed in a server URL'],
    ['ws://127.0.0.1:0/', 'port 0 is not a port'],
    ['ws://[fe80::1%25eth0]:1/', 'the IPv6 zone id "eth0" is not supported'],
  ])('refuses %j before any socket', (url, problem) => {
    expect(() => sessionFor(url)).toThrow(problem);
  });

  it('reads an upper-case scheme and the default port as the parser does', () => {
    expect(sessionFor('WSS://Echo.Example/x#frag').url).toBe('wss://echo.example/x');
  });
});
