/**
 * Maps the errors `ws` raises after open to our codes and the close status ws sent because
 * of them. Decided from ws's stable `error.code` (`WS_ERR_INVALID_UTF8`), never its message;
 * the statuses are those ws's receiver attaches to each code.
 */
import type { ErrorCode } from '../../shared/errors';

export interface WsErrorMapping {
  code: Extract<ErrorCode, 'PROTOCOL_INVALID_UTF8' | 'PROTOCOL_MESSAGE_TOO_BIG' | 'PROTOCOL_ERROR'>;
  /** The close status ws sends when it fails the connection for this error. */
  closeStatus: number;
}

const WS_ERRORS: Record<string, WsErrorMapping> = {
  WS_ERR_INVALID_UTF8: { code: 'PROTOCOL_INVALID_UTF8', closeStatus: 1007 },
  WS_ERR_UNSUPPORTED_MESSAGE_LENGTH: { code: 'PROTOCOL_MESSAGE_TOO_BIG', closeStatus: 1009 },
  WS_ERR_UNSUPPORTED_DATA_PAYLOAD_LENGTH: { code: 'PROTOCOL_MESSAGE_TOO_BIG', closeStatus: 1009 },
  WS_ERR_TOO_MANY_BUFFERED_PARTS: { code: 'PROTOCOL_ERROR', closeStatus: 1008 },
  WS_ERR_EXPECTED_FIN: { code: 'PROTOCOL_ERROR', closeStatus: 1002 },
  WS_ERR_EXPECTED_MASK: { code: 'PROTOCOL_ERROR', closeStatus: 1002 },
  WS_ERR_UNEXPECTED_MASK: { code: 'PROTOCOL_ERROR', closeStatus: 1002 },
  WS_ERR_INVALID_CLOSE_CODE: { code: 'PROTOCOL_ERROR', closeStatus: 1002 },
  WS_ERR_INVALID_CONTROL_PAYLOAD_LENGTH: { code: 'PROTOCOL_ERROR', closeStatus: 1002 },
  WS_ERR_INVALID_OPCODE: { code: 'PROTOCOL_ERROR', closeStatus: 1002 },
  WS_ERR_UNEXPECTED_RSV_1: { code: 'PROTOCOL_ERROR', closeStatus: 1002 },
  WS_ERR_UNEXPECTED_RSV_2_3: { code: 'PROTOCOL_ERROR', closeStatus: 1002 },
};

/** Whether an error code comes from ws's frame parser (a protocol violation by the peer). */
export function isWsProtocolErrorCode(code: string | undefined): code is string {
  return code !== undefined && code.startsWith('WS_ERR_');
}

/** Our code and ws's close status for a ws error code; unknown WS_ERR_* codes are PROTOCOL_ERROR/1002. */
export function mapWsErrorCode(code: string): WsErrorMapping {
  return Object.prototype.hasOwnProperty.call(WS_ERRORS, code)
    ? (WS_ERRORS[code] ?? { code: 'PROTOCOL_ERROR', closeStatus: 1002 })
    : { code: 'PROTOCOL_ERROR', closeStatus: 1002 };
}

/** Socket error codes after open that mean the peer (or something between) reset the connection. */
const RESET_CODES = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED']);

/** The transport code for a connection that ended after open without a close frame. */
export function transportCode(socketErrorCode: string | undefined): Extract<ErrorCode, 'CONNECTION_RESET' | 'CONNECTION_LOST'> {
  return socketErrorCode !== undefined && RESET_CODES.has(socketErrorCode) ? 'CONNECTION_RESET' : 'CONNECTION_LOST';
}
