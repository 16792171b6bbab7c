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
 *
 * Found from each `://` rather than by one regular expression: a pattern that starts at a scheme
 * (`[a-z][a-z0-9+.-]*://…`) reads a long run of letters and digits again from each of its
 * positions, which is quadratic: a 200 KB frame stalled `intercept --json` for minutes. Here each
 * `://` reads back over its scheme (which no earlier `://` reaches into: `:` and `/` end it) and
 * forward to the end of its authority (which the next `://` cannot start before), so a line is
 * read about twice. The result is the regular expression's
 * (`/([a-z][a-z0-9+.-]*:\/\/[^\s/?#@:]*):[^\s/?#]+@/gi`, test: url-password-mask-exact).
 */

const isSchemeChar = (code: number): boolean =>
  (code >= 0x61 && code <= 0x7a) || (code >= 0x41 && code <= 0x5a) || (code >= 0x30 && code <= 0x39) || code === 0x2b || code === 0x2e || code === 0x2d;
const isLetter = (code: number): boolean => (code >= 0x61 && code <= 0x7a) || (code >= 0x41 && code <= 0x5a);
/** What ends a URL's authority: white space (as `\s` reads it), `/`, `?`, `#`. */
const endsAuthority = (code: number): boolean =>
  code === 0x2f || code === 0x3f || code === 0x23 || code === 0x20 || (code >= 0x09 && code <= 0x0d) || (code >= 0x80 && /\s/.test(String.fromCharCode(code)));

export function maskUrlPasswords(text: string): string {
  let out = '';
  let copied = 0;
  let masked = false;
  for (let at = text.indexOf('://'); at !== -1; at = text.indexOf('://', at + 3)) {
    // The scheme: letters, digits, + . - before the ://, starting with a letter.
    let start = at;
    while (start > 0 && isSchemeChar(text.charCodeAt(start - 1))) start--;
    while (start < at && !isLetter(text.charCodeAt(start))) start++;
    if (start === at) continue;
    // The authority, read once: its first ':' and its first and last '@'.
    const authority = at + 3;
    let colon = -1;
    let firstAt = -1;
    let lastAt = -1;
    for (let i = authority; i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (endsAuthority(code)) break;
      if (code === 0x40) {
        if (firstAt === -1) firstAt = i;
        lastAt = i;
      } else if (code === 0x3a && colon === -1) colon = i;
    }
    // user:password@ — the user holds no ':' or '@'; the password is not empty.
    if (lastAt === -1 || colon === -1 || colon > firstAt || colon + 1 >= lastAt) continue;
    out += `${text.slice(copied, colon + 1)}${URL_PASSWORD_MASK}`;
    copied = lastAt;
    masked = true;
  }
  return masked ? out + text.slice(copied) : text;
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
