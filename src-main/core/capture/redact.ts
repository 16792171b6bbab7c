/**
 * Hides secrets in captured headers before they reach an event, a transcript or an export.
 * The auth scheme word is kept (`Basic ••••••`) because it is what the user needs to see
 * ("the proxy got Basic credentials"); the credential itself never leaves the engine.
 */
import type { HttpCapture } from '../../shared/model';

export const REDACTED = '••••••';

/** Headers whose values are always secret, lower case. */
const ALWAYS_SECRET = new Set(['proxy-authorization', 'authorization', 'cookie', 'set-cookie']);

/** `Basic abc`, `Bearer x.y.z`: a token (RFC 9110 tchar) then whitespace then the credential. */
const SCHEME_THEN_CREDENTIAL = /^([!#$%&'*+\-.^_`|~0-9A-Za-z]+)[ \t]+\S/;

export type HeaderPair = [string, string];

/** Whether a header's value is secret: a well-known credential header or one named in `extraSecret`. */
export function isSecretHeader(name: string, extraSecret: readonly string[] = []): boolean {
  const lower = name.toLowerCase();
  return ALWAYS_SECRET.has(lower) || extraSecret.some((secret) => secret.toLowerCase() === lower);
}

/** `Basic dXNlcjpwYXNz` → `Basic ••••••`; a value without a scheme word → `••••••`; empty stays empty. */
export function redactValue(value: string): string {
  if (value.trim() === '') return value;
  const scheme = SCHEME_THEN_CREDENTIAL.exec(value.trimStart());
  return scheme ? `${scheme[1]} ${REDACTED}` : REDACTED;
}

/**
 * Returns a copy of `headers` (in order) with the values of secret headers redacted.
 * `extraSecret`: further header names to hide (headers the user marked secret); matched
 * case-insensitively like the built-in ones.
 */
export function redactHeaders(headers: readonly (readonly [string, string])[], extraSecret: readonly string[] = []): HeaderPair[] {
  return headers.map(([name, value]): HeaderPair => [name, isSecretHeader(name, extraSecret) ? redactValue(value) : value]);
}

/** A capture with its secret headers redacted (again: cheap, and the reader cannot be sure who built it). */
export function redactCapture(capture: HttpCapture, extraSecret: readonly string[] = []): HttpCapture {
  return { ...capture, headers: redactHeaders(capture.headers, extraSecret) };
}
