/**
 * Maps Node's system error codes from a TCP connect to our codes, for a connection to the
 * proxy or straight to the server. The stage is the caller's (where it happened); only the
 * code is derived here, from Node's stable `code` property, never from message text.
 */
import type { ErrorCode } from '../../shared/errors';

const TO_PROXY: Record<string, ErrorCode> = {
  ENOTFOUND: 'PROXY_DNS_FAILED',
  EAI_AGAIN: 'PROXY_DNS_FAILED',
  EAI_FAIL: 'PROXY_DNS_FAILED',
  EAI_NONAME: 'PROXY_DNS_FAILED',
  ECONNREFUSED: 'PROXY_CONNECTION_REFUSED',
  EHOSTUNREACH: 'PROXY_UNREACHABLE',
  ENETUNREACH: 'PROXY_UNREACHABLE',
  EADDRNOTAVAIL: 'PROXY_UNREACHABLE',
  ETIMEDOUT: 'PROXY_TIMEOUT',
  ECONNRESET: 'PROXY_CONNECTION_RESET',
  EPIPE: 'PROXY_CONNECTION_RESET',
};

const TO_SERVER: Record<string, ErrorCode> = {
  ENOTFOUND: 'DNS_FAILED',
  EAI_AGAIN: 'DNS_FAILED',
  EAI_FAIL: 'DNS_FAILED',
  EAI_NONAME: 'DNS_FAILED',
  ECONNREFUSED: 'CONNECTION_REFUSED',
  EHOSTUNREACH: 'HOST_UNREACHABLE',
  ENETUNREACH: 'HOST_UNREACHABLE',
  EADDRNOTAVAIL: 'HOST_UNREACHABLE',
  ETIMEDOUT: 'CONNECT_TIMEOUT',
  ECONNRESET: 'CONNECTION_RESET',
  EPIPE: 'CONNECTION_RESET',
};

export function proxyConnectCode(systemCode: string | undefined): ErrorCode {
  return (systemCode && TO_PROXY[systemCode]) || 'PROXY_CONNECTION_RESET';
}

export function serverConnectCode(systemCode: string | undefined): ErrorCode {
  return (systemCode && TO_SERVER[systemCode]) || 'HOST_UNREACHABLE';
}
