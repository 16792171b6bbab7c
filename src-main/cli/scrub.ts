/**
 * The CLI's last line of defence for secrets: the engine already redacts credentials in its
 * events, but whatever the CLI prints also passes through here, so a password given on the
 * command line can never reach the terminal or a JSON log, whatever path it took.
 */
import { REDACTED, redactHeaders } from '../core/capture/redact';
import type { HttpCapture } from '../shared/model';

/** Secrets shorter than this are not scrubbed from free text: replacing "a" would mangle everything. */
const MIN_SCRUB_LENGTH = 3;

export class Scrubber {
  private readonly secrets: string[];

  constructor(secrets: readonly string[], proxyAuth?: { username: string; password: string }) {
    const all = [...secrets];
    if (proxyAuth) {
      // What would be on the wire in a Proxy-Authorization header.
      all.push(Buffer.from(`${proxyAuth.username}:${proxyAuth.password}`).toString('base64'));
      if (proxyAuth.password !== '') all.push(proxyAuth.password);
    }
    // Longest first, so a secret that contains another is replaced whole.
    this.secrets = [...new Set(all.filter((s) => s.length >= MIN_SCRUB_LENGTH))].sort((a, b) => b.length - a.length);
  }

  text(value: string): string {
    let out = value;
    for (const secret of this.secrets) out = out.split(secret).join(REDACTED);
    return out;
  }

  /** A deep copy with every string scrubbed (for JSON output; scrubbing serialized JSON could break it). */
  deep(value: unknown): unknown {
    if (typeof value === 'string') return this.text(value);
    if (Array.isArray(value)) return value.map((item) => this.deep(item));
    if (typeof value === 'object' && value !== null) {
      const out: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(value)) out[key] = this.deep(item);
      return out;
    }
    return value;
  }
}

/** A capture with credential headers redacted (again: cheap, and the CLI cannot be sure who built it). */
export function redactCapture(capture: HttpCapture): HttpCapture {
  return { ...capture, headers: redactHeaders(capture.headers) };
}
