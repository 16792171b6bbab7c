/**
 * Redaction by value: a server or proxy may echo a secret back (a 401 page quoting the
 * Authorization header, a 407 naming the password), where redaction by header name cannot see
 * it. Every occurrence of a known secret value is replaced with the REDACTED marker in header
 * values, body previews, error details and reasons, as it is, percent-encoded (either hex case)
 * and JSON-escaped.
 * Values shorter than MIN_SECRET_LENGTH are ignored: replacing "ab" everywhere would mangle
 * every page while hiding nothing an attacker could not guess.
 */
import type { NetError } from '../../shared/errors';
import type { HandshakeStep, HttpCapture, ProxyDecision } from '../../shared/model';
import { REDACTED } from './redact';

/** Secret values shorter than this (in characters) are not searched for. */
export const MIN_SECRET_LENGTH = 4;

/** The ways a value is commonly written back: as it is, in a URL or form, inside a JSON string. */
function writtenForms(value: string): string[] {
  const encoded = encodeURIComponent(value);
  const lowerHex = encoded.replace(/%[0-9A-F]{2}/g, (escape) => escape.toLowerCase());
  const forms = [value, encoded, lowerHex, encoded.replace(/%20/g, '+'), JSON.stringify(value).slice(1, -1)];
  return forms.filter((form) => form.length >= MIN_SECRET_LENGTH);
}

export class ValueRedactor {
  /** Every form of every secret, longest first so a secret that contains another goes whole. */
  private forms: string[] = [];

  constructor(values: Iterable<string> = []) {
    this.add(values);
  }

  /** Learns more secret values (e.g. a proxy's credentials once the proxy is chosen). */
  add(values: Iterable<string>): void {
    const all = new Set(this.forms);
    for (const value of values) {
      if (value.length < MIN_SECRET_LENGTH) continue;
      for (const form of writtenForms(value)) all.add(form);
    }
    this.forms = [...all].sort((a, b) => b.length - a.length);
  }

  /** Whether there is anything to hide (callers skip copying when there is not). */
  get empty(): boolean {
    return this.forms.length === 0;
  }

  text(value: string): string {
    let out = value;
    for (const form of this.forms) if (out.includes(form)) out = out.split(form).join(REDACTED);
    return out;
  }

  capture(capture: HttpCapture): HttpCapture {
    if (this.empty) return capture;
    return {
      ...capture,
      startLine: this.text(capture.startLine),
      headers: capture.headers.map(([name, value]): [string, string] => [name, this.text(value)]),
      ...(capture.bodyPreview !== undefined ? { bodyPreview: this.text(capture.bodyPreview) } : {}),
    };
  }

  step(step: HandshakeStep): HandshakeStep {
    if (this.empty) return step;
    return {
      ...step,
      ...(step.request ? { request: this.capture(step.request) } : {}),
      ...(step.response ? { response: this.capture(step.response) } : {}),
    };
  }

  netError(error: NetError): NetError {
    if (this.empty) return error;
    const d = error.details;
    const details = { ...d };
    for (const key of ['proxyRequest', 'proxyResponse', 'upgradeRequest', 'upgradeResponse'] as const) {
      const capture = d[key];
      if (capture) details[key] = this.capture(capture);
    }
    for (const key of ['closeReason', 'causeMessage', 'authRealm', 'file', 'cause'] as const) {
      const value = d[key];
      if (value !== undefined) details[key] = this.text(value);
    }
    // The parts' words are hint text too (a gateway's name, a product's, as the peer gave them).
    const hintParts = error.hintParts?.map((part) => (part.kind === 'text' || part.kind === 'scheme' ? { ...part, text: this.text(part.text) } : part));
    return { ...error, message: this.text(error.message), hint: this.text(error.hint), ...(hintParts ? { hintParts } : {}), details };
  }

  decision(decision: ProxyDecision): ProxyDecision {
    if (this.empty) return decision;
    return { ...decision, reason: this.text(decision.reason), candidates: decision.candidates.map((c) => ({ ...c, url: this.text(c.url) })) };
  }
}
