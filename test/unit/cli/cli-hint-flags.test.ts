/** "On the command line:" gives the flag a hint asks for in words (KERBEROS_UNKNOWN_SPN: --proxy-spn …). */
import { describe, expect, it } from 'vitest';
import { actionFlags, formatError, PLAIN } from '../../../src-main/cli/human-output';
import { ERROR_CATALOG } from '../../../src-main/core/errors/catalog';
import type { ErrorCode, NetError } from '../../../src-main/shared/errors';

function catalogError(code: ErrorCode): NetError {
  const entry = ERROR_CATALOG[code];
  return { kind: 'net', stage: entry.stage, code, message: entry.message, hint: typeof entry.hint === 'string' ? entry.hint : '', details: {}, ...(entry.actions ? { actions: entry.actions } : {}) };
}

describe('the flags a hint points at', () => {
  it('KERBEROS_UNKNOWN_SPN: the hint says to set the service principal, the command line says --proxy-spn', () => {
    const lines = formatError(catalogError('KERBEROS_UNKNOWN_SPN'), PLAIN).join('\n');
    expect(lines).toContain('Set the service principal');
    expect(lines).toContain('On the command line: --proxy-spn HTTP@<proxy host>');
  });

  it.each<[ErrorCode, string]>([
    ['KERBEROS_UNAVAILABLE', '--proxy-auth ntlm, digest or basic'],
    ['PROXY_AUTH_CONNECTION_CLOSED', '--proxy-auth digest or basic'],
    ['PROXY_AUTH_BAD_CHALLENGE', '--proxy-auth <another scheme'],
    ['SYSTEM_PROXY_FAILED', '--proxy <url>, --pac <url|file> or --env-proxy'],
    ['DNS_FAILED', '--proxy <url> or --pac <url|file>'],
    ['HOST_UNREACHABLE', '--proxy <url> or --pac <url|file>'],
    ['CONNECT_TIMEOUT', '--proxy <url> or --pac <url|file>'],
    ['UPGRADE_UNREQUESTED_SUBPROTOCOL', '--subprotocol <the one the server chose>'],
    ['UPGRADE_MISSING_SUBPROTOCOL', 'leave out --subprotocol'],
    ['CONNECTION_RESET', '--reconnect'],
    ['PEER_UNRESPONSIVE', '--reconnect'],
  ])('%s → %s', (code, flag) => {
    expect(actionFlags(catalogError(code)).join('; ')).toContain(flag);
  });

  it('the flags from actions come first and stay as they were', () => {
    expect(actionFlags(catalogError('PROXY_AUTH_CONNECTION_CLOSED'))).toEqual([
      '--proxy-user @<file> (a file holding user:password) or TUNNELSCOPE_PROXY_USER=user:password',
      '--proxy-auth digest or basic (where the proxy offers it)',
    ]);
    expect(actionFlags(catalogError('UPGRADE_REJECTED'))).toEqual([]);
  });
});
