/**
 * What follows from the two CONNECT-answer codes (core/proxy/connect-answer.ts): a web server at
 * the proxy's address (PROXY_NO_CONNECT) answers every attempt alike, so reconnect stops on it,
 * while a server the proxy could not reach (PROXY_UPSTREAM_UNREACHABLE) may come back and is
 * retried; and the CLI's headline says what the app's title says, not the fallback "did not
 * open the tunnel".
 */
import { describe, expect, it } from 'vitest';
import { unchangingFailure } from '../../../src-main/core/session/reconnect-unchanging';
import { failureHeadline } from '../../../src-main/cli/human-output';
import type { NetError } from '../../../src-main/shared/errors';
import { errorTitle } from '../../../src-renderer/src/util/error-title';

const tunnelError = (code: 'PROXY_NO_CONNECT' | 'PROXY_UPSTREAM_UNREACHABLE'): NetError => ({ kind: 'net', stage: 'tunnel', code, message: '', hint: '', details: {} });

describe('the CONNECT answers that are not a refusal by rules', () => {
  it('PROXY_NO_CONNECT stops reconnecting and says what to check', () => {
    expect(unchangingFailure(tunnelError('PROXY_NO_CONNECT'))).toBe(
      'this address is not a proxy that accepts CONNECT, and another attempt would get the same answer: check the proxy address and port',
    );
  });

  it('PROXY_UPSTREAM_UNREACHABLE is retried (the server may start)', () => {
    expect(unchangingFailure(tunnelError('PROXY_UPSTREAM_UNREACHABLE'))).toBeUndefined();
  });

  it("the CLI's headline is the app's title", () => {
    for (const code of ['PROXY_NO_CONNECT', 'PROXY_UPSTREAM_UNREACHABLE'] as const) {
      expect(failureHeadline(tunnelError(code))).toBe(errorTitle(tunnelError(code)));
    }
    expect(failureHeadline(tunnelError('PROXY_UPSTREAM_UNREACHABLE'))).toBe('The proxy could not reach the server');
  });
});
