import { describe, expect, it } from 'vitest';
import { ERROR_CATALOG } from '../../../src-main/core/errors/catalog';
import { NetFailure, createNetError } from '../../../src-main/core/errors/net-failure';
import { proxyConnectCode, serverConnectCode } from '../../../src-main/core/errors/socket-errors';
import { isWsProtocolErrorCode, mapWsErrorCode, transportCode } from '../../../src-main/core/errors/ws-errors';
import { checkUpgradeResponse, expectedAccept } from '../../../src-main/core/session/ws-upgrade';
import { ERROR_CODES, ERROR_STAGES, netErrorSchema } from '../../../src-main/shared/errors';

describe('the error catalog', () => {
  it.each(ERROR_CODES.map((code) => [code]))('%s has a stage, a message and a hint', (code) => {
    const entry = ERROR_CATALOG[code];
    expect(entry).toBeDefined();
    expect(ERROR_STAGES).toContain(entry.stage);
    expect(entry.message.trim().length).toBeGreaterThan(10);
    expect(createNetError(entry.stage, code).hint.trim().length).toBeGreaterThan(10);
  });

  it('has no entry for a code that does not exist', () => {
    expect(Object.keys(ERROR_CATALOG).sort()).toEqual([...ERROR_CODES].sort());
  });

  it('builds NetErrors that match the contract', () => {
    for (const code of ERROR_CODES) {
      const error = createNetError(ERROR_CATALOG[code].stage, code, { target: 'h:1' });
      expect(netErrorSchema.safeParse(error).success).toBe(true);
    }
    const failure = NetFailure.of('upgrade', 'UPGRADE_REJECTED', {}, { message: 'custom' });
    expect(failure.netError).toMatchObject({ kind: 'net', stage: 'upgrade', code: 'UPGRADE_REJECTED', message: 'custom' });
    expect(failure.netError.hint).toBe(createNetError('upgrade', 'UPGRADE_REJECTED').hint);
  });
});

describe('socket error codes', () => {
  it.each([
    ['ENOTFOUND', 'PROXY_DNS_FAILED', 'DNS_FAILED'],
    ['EAI_AGAIN', 'PROXY_DNS_FAILED', 'DNS_FAILED'],
    ['ECONNREFUSED', 'PROXY_CONNECTION_REFUSED', 'CONNECTION_REFUSED'],
    ['EHOSTUNREACH', 'PROXY_UNREACHABLE', 'HOST_UNREACHABLE'],
    ['ENETUNREACH', 'PROXY_UNREACHABLE', 'HOST_UNREACHABLE'],
    ['ETIMEDOUT', 'PROXY_TIMEOUT', 'CONNECT_TIMEOUT'],
    ['ECONNRESET', 'PROXY_CONNECTION_RESET', 'CONNECTION_RESET'],
    ['EPIPE', 'PROXY_CONNECTION_RESET', 'CONNECTION_RESET'],
    ['SOMETHING_NEW', 'PROXY_CONNECTION_RESET', 'HOST_UNREACHABLE'],
    [undefined, 'PROXY_CONNECTION_RESET', 'HOST_UNREACHABLE'],
  ])('%s → %s (to a proxy), %s (to the server)', (systemCode, toProxy, toServer) => {
    expect(proxyConnectCode(systemCode)).toBe(toProxy);
    expect(serverConnectCode(systemCode)).toBe(toServer);
  });

  it.each([
    ['ECONNRESET', 'CONNECTION_RESET'],
    ['EPIPE', 'CONNECTION_RESET'],
    ['ECONNABORTED', 'CONNECTION_RESET'],
    ['ETIMEDOUT', 'CONNECTION_LOST'],
    [undefined, 'CONNECTION_LOST'],
  ])('after open, a socket error %s ends as %s', (systemCode, code) => {
    expect(transportCode(systemCode)).toBe(code);
  });
});

describe('ws error codes after open', () => {
  it.each([
    ['WS_ERR_INVALID_UTF8', 'PROTOCOL_INVALID_UTF8', 1007],
    ['WS_ERR_UNSUPPORTED_MESSAGE_LENGTH', 'PROTOCOL_MESSAGE_TOO_BIG', 1009],
    ['WS_ERR_UNSUPPORTED_DATA_PAYLOAD_LENGTH', 'PROTOCOL_MESSAGE_TOO_BIG', 1009],
    ['WS_ERR_TOO_MANY_BUFFERED_PARTS', 'PROTOCOL_ERROR', 1008],
    ['WS_ERR_INVALID_OPCODE', 'PROTOCOL_ERROR', 1002],
    ['WS_ERR_INVALID_CLOSE_CODE', 'PROTOCOL_ERROR', 1002],
    ['WS_ERR_EXPECTED_FIN', 'PROTOCOL_ERROR', 1002],
    ['WS_ERR_UNEXPECTED_MASK', 'PROTOCOL_ERROR', 1002],
    ['WS_ERR_UNEXPECTED_RSV_1', 'PROTOCOL_ERROR', 1002],
    ['WS_ERR_INVALID_CONTROL_PAYLOAD_LENGTH', 'PROTOCOL_ERROR', 1002],
    ['WS_ERR_SOMETHING_NEW', 'PROTOCOL_ERROR', 1002],
    ['__proto__', 'PROTOCOL_ERROR', 1002],
  ])('%s → %s, close status %d', (wsCode, code, status) => {
    expect(mapWsErrorCode(wsCode)).toEqual({ code, closeStatus: status });
  });

  it('tells ws protocol errors from socket errors by code', () => {
    expect(isWsProtocolErrorCode('WS_ERR_INVALID_UTF8')).toBe(true);
    expect(isWsProtocolErrorCode('ECONNRESET')).toBe(false);
    expect(isWsProtocolErrorCode(undefined)).toBe(false);
  });
});

describe('checkUpgradeResponse', () => {
  const key = 'dGhlIHNhbXBsZSBub25jZQ==';
  const good = { upgrade: 'websocket', connection: 'Upgrade', 'sec-websocket-accept': expectedAccept(key) };

  it('computes the RFC 6455 example accept key', () => {
    expect(expectedAccept(key)).toBe('s3pPLMBiTxaQ9kYGzzhZRbK+xOo=');
  });

  it.each<[string, Record<string, string>, string[], boolean, string | undefined]>([
    ['a good answer', good, [], false, undefined],
    ['Upgrade in another case', { ...good, upgrade: 'WebSocket' }, [], false, undefined],
    ['the requested subprotocol', { ...good, 'sec-websocket-protocol': 'b' }, ['a', 'b'], false, undefined],
    ['deflate when offered', { ...good, 'sec-websocket-extensions': 'permessage-deflate' }, [], true, undefined],
    ['no Upgrade header', { connection: 'Upgrade', 'sec-websocket-accept': expectedAccept(key) }, [], false, 'UPGRADE_INVALID_RESPONSE'],
    ['Upgrade: h2c', { ...good, upgrade: 'h2c' }, [], false, 'UPGRADE_INVALID_RESPONSE'],
    ['a wrong accept key', { ...good, 'sec-websocket-accept': 'AAAA' }, [], false, 'UPGRADE_BAD_ACCEPT'],
    ['no accept key', { upgrade: 'websocket' }, [], false, 'UPGRADE_BAD_ACCEPT'],
    ['a subprotocol when none was requested', { ...good, 'sec-websocket-protocol': 'x' }, [], false, 'UPGRADE_UNREQUESTED_SUBPROTOCOL'],
    ['another subprotocol', { ...good, 'sec-websocket-protocol': 'x' }, ['a'], false, 'UPGRADE_UNREQUESTED_SUBPROTOCOL'],
    ['no subprotocol when one was requested', good, ['a'], false, 'UPGRADE_MISSING_SUBPROTOCOL'],
    ['an extension that was not offered', { ...good, 'sec-websocket-extensions': 'permessage-deflate' }, [], false, 'UPGRADE_INVALID_RESPONSE'],
  ])('%s', (_name, headers, requested, deflate, code) => {
    expect(checkUpgradeResponse(headers, key, requested, deflate)?.code).toBe(code);
  });
});
