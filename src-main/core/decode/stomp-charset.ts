/**
 * Text in the charset a STOMP body's content-type names (stomp-body.ts): the `charset`
 * parameter read from the type, its label resolved as the WHATWG Encoding Standard does (Node's
 * TextDecoder with full ICU: `latin1` and `iso-8859-1` are windows-1252, `utf-16` is utf-16le,
 * `shift_jis`, `euc-kr`, `gb18030`…), the bytes decoded strictly (fatal) with a leading byte
 * order mark kept, as json-value.ts textOrBytes keeps it for UTF-8, and where they are not
 * valid, which byte. windows-1252 is decoded here from its index: Node 20.18.3+ and 22.13+
 * decode it as ISO-8859-1, bytes 0x80–0x9F as C1 controls (nodejs/node#60888), where the
 * standard (and every browser) reads 0x80 as €.
 */
import { TextDecoder } from 'node:util';
import { quote } from './decoded-frame';

/**
 * The first `charset` parameter's value in the parameters after a media type (`;a=b; charset="x"`:
 * RFC 2045 §5.1, a token or a quoted string, the name without case, space around `=` allowed),
 * or undefined when there is none.
 */
export function charsetParameter(parameters: string): string | undefined {
  let at = parameters.indexOf(';');
  while (at >= 0 && at < parameters.length) {
    // At a ';': the parameter after it runs to the next ';' outside quotes.
    const equals = parameters.indexOf('=', at);
    const nextSemicolon = parameters.indexOf(';', at + 1);
    if (equals < 0) return undefined;
    if (nextSemicolon >= 0 && nextSemicolon < equals) {
      at = nextSemicolon;
      continue;
    }
    const name = parameters.slice(at + 1, equals).trim().toLowerCase();
    let from = equals + 1;
    while (parameters[from] === ' ' || parameters[from] === '\t') from++;
    let value = '';
    let end = from;
    if (parameters[from] === '"') {
      for (end = from + 1; end < parameters.length && parameters[end] !== '"'; end++) {
        if (parameters[end] === '\\' && end + 1 < parameters.length) end++;
        value += parameters[end];
      }
    }
    const semicolon = parameters.indexOf(';', end);
    const stop = semicolon < 0 ? parameters.length : semicolon;
    if (parameters[from] !== '"') value = parameters.slice(from, stop).trim();
    if (name === 'charset') return value;
    at = stop;
  }
  return undefined;
}

/** The WHATWG name of the encoding a label names (`latin1` → windows-1252), or undefined when it names none. */
export function encodingOf(label: string): string | undefined {
  // Kept by label (few in a stream): resolving one makes a TextDecoder, about 0.1 µs, and one it
  // refuses throws, about 7 µs (Node 20, measured in a loop).
  const known = encodings.get(label);
  if (known !== undefined) return known === NO_ENCODING ? undefined : known;
  let encoding: string | undefined;
  try {
    encoding = new TextDecoder(label).encoding;
  } catch {
    encoding = undefined;
  }
  if (encodings.size >= KEPT_LABELS) encodings.clear();
  encodings.set(label, encoding ?? NO_ENCODING);
  return encoding;
}

const KEPT_LABELS = 256;
/** No encoding's name (they are lowercase words). */
const NO_ENCODING = '';
const encodings = new Map<string, string>();

/** windows-1252's bytes 0x80–0x9F (WHATWG index-windows-1252); the others are their Latin-1 code points. */
const WINDOWS_1252_HIGH = [
  0x20ac, 0x0081, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008d, 0x017d, 0x008f,
  0x0090, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0x009d, 0x017e, 0x0178,
];
const C1 = /[\u0080-\u009f]/g;

function windows1252(bytes: Uint8Array): string {
  const latin1 = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  return latin1.replace(C1, (c) => String.fromCharCode(WINDOWS_1252_HIGH[c.charCodeAt(0) - 0x80] ?? c.charCodeAt(0)));
}

/** Strict decoders by encoding name (a stream names few). */
const decoders = new Map<string, TextDecoder>();

function decoderFor(encoding: string): TextDecoder {
  let decoder = decoders.get(encoding);
  if (!decoder) {
    decoder = new TextDecoder(encoding, { fatal: true, ignoreBOM: true });
    decoders.set(encoding, decoder);
  }
  return decoder;
}

/** The bytes as text in `encoding` (a WHATWG name encodingOf gave), or undefined when they are not valid in it. */
export function decodeIn(encoding: string, bytes: Uint8Array): string | undefined {
  // Every byte is a character of windows-1252 (the standard's index defines all 256).
  if (encoding === 'windows-1252') return windows1252(bytes);
  try {
    return decoderFor(encoding).decode(bytes);
  } catch {
    return undefined;
  }
}

/** The longest character of these encodings, in bytes (UTF-8 and GB18030: 4; UTF-16: a surrogate pair). */
const MAX_CHARACTER_BYTES = 4;

/**
 * Where bytes that `encoding` refuses stop being valid: "at byte 12", or "the body ends inside a
 * character" when every prefix could still go on. Asked only of bytes decodeIn refused: the
 * shortest prefix a decoder that waits for more refuses (bisected: every longer one is refused
 * too) ends at the byte it could not take, and the character that byte is in starts where the
 * last whole prefix before it ends (within MAX_CHARACTER_BYTES): the byte named.
 */
export function whereNotValid(encoding: string, bytes: Uint8Array): string {
  const decodes = (length: number, stream: boolean): boolean => {
    try {
      new TextDecoder(encoding, { fatal: true }).decode(bytes.subarray(0, length), { stream });
      return true;
    } catch {
      return false;
    }
  };
  if (decodes(bytes.byteLength, true)) return 'the body ends inside a character';
  let good = 0; // the longest prefix known to be taken (waiting for more)
  let bad = bytes.byteLength; // the shortest prefix known to be refused
  while (bad - good > 1) {
    const middle = good + Math.floor((bad - good) / 2);
    if (decodes(middle, true)) good = middle;
    else bad = middle;
  }
  for (let start = bad - 1; start >= Math.max(0, bad - MAX_CHARACTER_BYTES); start--) {
    if (decodes(start, false)) return `at byte ${start} of the body`;
  }
  return `at byte ${bad - 1} of the body`;
}

/** The encoding as a note names it: "shift_jis", or "windows-1252 (charset 'latin1')" for another label of it. */
export function encodingNamed(encoding: string, declared: string): string {
  return declared.trim().toLowerCase() === encoding ? encoding : `${encoding} (charset ${quote(declared)})`;
}

/** The bytes 0x00-0x7F, and their text read as UTF-8. */
const ASCII = Uint8Array.from({ length: 0x80 }, (_, k) => k);
const ASCII_TEXT = String.fromCharCode(...ASCII);
const asciiCompatible = new Map<string, boolean>();

/**
 * Whether any bytes below 0x80 decode in `encoding` to the text UTF-8 reads them as: the ASCII
 * table, together and each byte alone, decodes to itself (decodeIn, as the decoder reads a body).
 * Measured, not assumed: Node's ICU reads shift_jis and ibm866 bytes 0x1A, 0x1C and 0x7F as
 * other controls; UTF-16 pairs bytes; ISO-2022-JP refuses SO and SI and switches on ESC. Where
 * no byte is a lead byte alone nor together, no sequence of them is either.
 */
export function readsAsciiAsUtf8(encoding: string): boolean {
  let known = asciiCompatible.get(encoding);
  if (known === undefined) {
    known = decodeIn(encoding, ASCII) === ASCII_TEXT && ASCII.every((byte) => decodeIn(encoding, Uint8Array.of(byte)) === String.fromCharCode(byte));
    asciiCompatible.set(encoding, known);
  }
  return known;
}
