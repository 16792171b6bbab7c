/**
 * The CLI's last line of defence for secrets: the engine already redacts credentials in its
 * events, but whatever the CLI prints also passes through here, so a password given on the
 * command line can never reach the terminal or a JSON log, whatever path it took.
 */
import { credentialSecrets, ValueRedactor } from '../core';

/** The engine's marker (core/capture/redact.ts REDACTED, not exported by core/index.ts; a test holds them equal). */
export const URL_PASSWORD_MASK = '••••••';

/**
 * `scheme://user:password@` anywhere in a line: the password (up to the last @ before the path,
 * as URL parsers read it) is masked by where it stands, however short; redaction by value skips
 * secrets shorter than MIN_SECRET_LENGTH.
 */
const URL_PASSWORD = /([a-z][a-z0-9+.-]*:\/\/[^\s/?#@:]*):[^\s/?#]+@/gi;

export function maskUrlPasswords(text: string): string {
  return text.replace(URL_PASSWORD, (_whole, head: string) => `${head}:${URL_PASSWORD_MASK}@`);
}

/**
 * The same redaction by value as the engine's (value-redactor.ts): each secret as it is,
 * percent-encoded and JSON-escaped, the Basic token of the proxy credentials, and nothing
 * shorter than MIN_SECRET_LENGTH (replacing "a" would mangle everything); then every URL's
 * password by its place.
 */
export class Scrubber {
  private readonly redactor: ValueRedactor;

  constructor(secrets: readonly string[], proxyAuth?: { username: string; password: string }) {
    // What would be on the wire in a Proxy-Authorization header counts too.
    this.redactor = new ValueRedactor([...secrets, ...(proxyAuth ? credentialSecrets(proxyAuth) : [])]);
  }

  text(value: string): string {
    return maskUrlPasswords(this.redactor.text(value));
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
