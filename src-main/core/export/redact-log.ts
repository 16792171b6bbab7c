/**
 * Exports leave every secret out, whatever path it took into the session's record: the
 * captured requests and responses are redacted again here (credential headers, cookies,
 * headers the user marked secret), and a password in the URL's user info is dropped.
 * Cheap, and an export is the one place where a secret would leave the machine.
 */
import type { HandshakeStep } from '../../shared/model';
import type { ClientHandshake } from '../../shared/captured-from';
import { redactCapture } from '../capture/redact';

export function redactSteps(steps: readonly HandshakeStep[], extraSecret: readonly string[]): HandshakeStep[] {
  return steps.map((step) => ({
    ...step,
    ...(step.request ? { request: redactCapture(step.request, extraSecret) } : {}),
    ...(step.response ? { response: redactCapture(step.response, extraSecret) } : {}),
  }));
}

/** An intercepted client's side of the handshake, redacted again as the steps are. */
export function redactClientHandshake(handshake: ClientHandshake, extraSecret: readonly string[]): ClientHandshake {
  return { request: redactCapture(handshake.request, extraSecret), response: redactCapture(handshake.response, extraSecret) };
}

/** The URL without a password in its user info (`wss://user:pass@host/` → `wss://user@host/`). */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password === '') return url;
    parsed.password = '';
    return parsed.href;
  } catch {
    return url;
  }
}
