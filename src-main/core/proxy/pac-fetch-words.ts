/**
 * Plain words for two ways a PAC download goes wrong that the raw errors hide: fetch refusing a
 * port on the Fetch standard's "bad ports" list (it says only "bad port"), and a server that
 * answers with an HTML page (a login or captive portal) where the script should be, which the
 * PAC compiler would report as "Line 1: Unexpected token <".
 */

/**
 * The Fetch standard's bad ports (https://fetch.spec.whatwg.org/#port-blocking), as the fetch in
 * Node and Electron (undici) refuses them for http: and https: URLs.
 */
export const FETCH_BAD_PORTS: ReadonlySet<number> = new Set([
  1, 7, 9, 11, 13, 15, 17, 19, 20, 21, 22, 23, 25, 37, 42, 43, 53, 69, 77, 79, 87, 95, 101, 102, 103, 104, 109, 110, 111,
  113, 115, 117, 119, 123, 135, 137, 139, 143, 161, 179, 389, 427, 465, 512, 513, 514, 515, 526, 530, 531, 532, 540, 548,
  554, 556, 563, 587, 601, 636, 989, 990, 993, 995, 1719, 1720, 1723, 2049, 3659, 4045, 4190, 5060, 5061, 6000, 6566,
  6665, 6666, 6667, 6668, 6669, 6679, 6697, 10080,
]);

const LIST_WORDS = "the Fetch standard's bad ports, such as 1, 9, 25, 110, 6000 and 10080";

/**
 * Why fetch said "bad port" for `href`: its own port, or (when that one is allowed) a redirect's.
 * The end of a sentence that starts "The PAC file … could not be loaded: ".
 */
export function badPortWords(href: string): string {
  const port = new URL(href).port;
  if (port !== '' && FETCH_BAD_PORTS.has(Number(port))) {
    return `the port ${port} is on the list of ports that web fetches refuse (${LIST_WORDS}); serve the PAC file on another port`;
  }
  return `a redirect led to a port on the list of ports that web fetches refuse (${LIST_WORDS}); serve the PAC file on another port, or link to it directly`;
}

/**
 * Whether a downloaded body is markup rather than a script. A script cannot start with `<`,
 * except for `<!--`, which JavaScript reads as a comment line: that one counts as markup only
 * when the server calls it HTML.
 */
export function looksLikeHtml(body: string, contentType: string | null): boolean {
  const start = body.replace(/^\uFEFF/, '').trimStart();
  if (!start.startsWith('<')) return false;
  if (!start.startsWith('<!--')) return true;
  return contentType !== null && /^\s*(text\/html|application\/xhtml\+xml)\b/i.test(contentType);
}

const MAX_TITLE_CHARS = 120;

/** The page's <title>, its spaces tidied and the common entities decoded; undefined when none. */
export function htmlTitle(body: string): string | undefined {
  const match = /<title\b[^>]*>([\s\S]*?)<\/title\s*>/i.exec(body);
  if (match === null) return undefined;
  const text = decodeEntities((match[1] ?? '').replace(/\s+/g, ' ').trim());
  if (text === '') return undefined;
  return text.length > MAX_TITLE_CHARS ? `${text.slice(0, MAX_TITLE_CHARS - 1)}…` : text;
}

function decodeEntities(text: string): string {
  const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name.startsWith('#')) {
      const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return named[name.toLowerCase()] ?? whole;
  });
}

/**
 * The end of "The PAC file … could not be loaded: " for an HTML answer: what it is, its title,
 * and the status and Content-Type that came with it.
 */
export function htmlPageWords(body: string, status: string, contentType: string | null): string {
  const title = htmlTitle(body);
  const page = title === undefined ? 'an HTML page' : `an HTML page titled ${JSON.stringify(title)}`;
  const type = contentType === null || contentType.trim() === '' ? 'no Content-Type' : `Content-Type ${contentType.trim()}`;
  return `the server sent ${page} (${status}, ${type}), not a PAC script; most likely a login or captive-portal page`;
}

/** The hints for these two cases: the catalog's "open it in a browser" fits the page, not the port. */
export const BAD_PORT_HINT =
  'Browsers refuse these ports too, so opening the URL will not show more: serve the PAC file on an ordinary port (80, 443, 8080…) and change the PAC URL.';
export const HTML_PAGE_HINT =
  'Open the PAC URL in a browser on this machine: if it shows a sign-in or portal page, sign in there (or ask for a PAC URL that needs none) and try again.';
