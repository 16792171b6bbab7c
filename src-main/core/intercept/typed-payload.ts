/**
 * A payload typed in the app or the CLI (an edit of a held message, an injected message) as the
 * bytes to send: text and JSON as UTF-8 (JSON as typed: it was checked to parse, not
 * re-serialised), hex and base64 decoded. A text message must stay valid UTF-8, whatever it was
 * typed as: a peer closes the connection (1007) on a text frame that is not.
 */
import type { MessageKind, TypedPayload } from '../../shared/intercept-control';
import { typedPayloadProblem } from '../../shared/intercept-control';

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

export type PayloadBytes = { ok: true; payload: Buffer } | { ok: false; problem: string };

export function payloadBytes(typed: TypedPayload, kind: MessageKind): PayloadBytes {
  const problem = typedPayloadProblem(typed.as, typed.value);
  if (problem !== undefined) return { ok: false, problem };
  const payload =
    typed.as === 'hex'
      ? Buffer.from(typed.value.replace(/\s+/g, ''), 'hex')
      : typed.as === 'base64'
        ? Buffer.from(typed.value.replace(/\s+/g, ''), 'base64')
        : Buffer.from(typed.value, 'utf8');
  if (kind === 'text' && (typed.as === 'hex' || typed.as === 'base64')) {
    try {
      strictUtf8.decode(payload);
    } catch {
      return { ok: false, problem: `a text message must be UTF-8, and these ${payload.length} bytes are not (send it as binary, or fix the bytes)` };
    }
  }
  return { ok: true, payload };
}
