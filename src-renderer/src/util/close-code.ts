/**
 * WebSocket close codes: validating what the user types in the close form, and naming the
 * codes the log shows (RFC 6455 §7.4.1 and the IANA registry).
 */
import { isSendableCloseCode, MAX_CLOSE_REASON_BYTES } from '../../../src-main/shared/commands';
import { utf8ByteLength } from './format';

// The contract's limit, here beside the form's other checks (the composer shows it).
export { MAX_CLOSE_REASON_BYTES };

const NAMES: Record<number, string> = {
  1000: 'Normal Closure',
  1001: 'Going Away',
  1002: 'Protocol Error',
  1003: 'Unsupported Data',
  1005: 'No Status Received',
  1006: 'Abnormal Closure',
  1007: 'Invalid Payload Data',
  1008: 'Policy Violation',
  1009: 'Message Too Big',
  1010: 'Mandatory Extension',
  1011: 'Internal Error',
  1012: 'Service Restart',
  1013: 'Try Again Later',
  1014: 'Bad Gateway',
  1015: 'TLS Handshake',
};

/** The registered name of a close code, or a word for the private and library ranges. */
export function closeCodeName(code: number): string {
  const name = NAMES[code];
  if (name) return name;
  if (code >= 3000 && code <= 3999) return 'library/framework code';
  if (code >= 4000 && code <= 4999) return 'application code';
  return 'unregistered code';
}

export type CloseCodeCheck = { ok: true; code: number } | { ok: false; error: string };

/** Checks the close code field: digits only, and a code a client may send. */
export function checkCloseCode(input: string): CloseCodeCheck {
  const text = input.trim();
  if (text === '') return { ok: false, error: 'Enter a close code, e.g. 1000 (normal closure).' };
  if (!/^\d+$/.test(text)) return { ok: false, error: `“${text}” is not a number: a close code is an integer such as 1000.` };
  const code = Number(text);
  if (!isSendableCloseCode(code)) {
    const reserved = code === 1004 || code === 1005 || code === 1006 || code === 1015;
    return {
      ok: false,
      error: reserved
        ? `${code} (${closeCodeName(code)}) is reserved and may not be sent. Use 1000–1003, 1007–1014 or 3000–4999.`
        : `${code} cannot be sent: use 1000–1003, 1007–1014 or 3000–4999.`,
    };
  }
  return { ok: true, code };
}

/** Null when the reason fits in a close frame, else the problem in words. */
export function closeReasonError(reason: string): string | null {
  const bytes = utf8ByteLength(reason);
  return bytes > MAX_CLOSE_REASON_BYTES
    ? `The reason is ${bytes} bytes in UTF-8; a close frame holds at most ${MAX_CLOSE_REASON_BYTES}.`
    : null;
}
