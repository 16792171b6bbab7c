/**
 * STOMP credentials in one direction's raw messages: the values of every frame's headers named
 * `passcode` or like credentials (frame-credentials.ts: `Authorization` on a SUBSCRIBE too), as
 * their bytes are on the wire (escapes such as `\c` included: every byte of the value is masked;
 * a repeated header: every line of it).
 *
 * Frames are followed as stomp-frame.ts reads them, across messages (a frame may start in one
 * message and end in a later one): command line, header lines up to the empty one, then the body
 * up to its NUL, or its content-length bytes then a NUL (a body may hold NULs, even a whole
 * CONNECT, and is never read as frames). Only the command line and the header names are read;
 * other values and bodies are passed over (indexOf). Headers that all arrived in one message and
 * hold none of the credential names' words anywhere (most frames) are not read name by name.
 * A header name is read as the decoder reads it (UTF-8, escapes from 1.1 on except in CONNECT
 * and CONNECTED) and as written (a STOMP 1.0 session has no escapes): a credential name either
 * way is masked. A framing error the decoder stops at (an
 * unknown command, a CR that starts no EOL, a bad content-length or its NUL missing) drops the
 * rest of the message, as the decoder does, and the next message starts afresh. Header lines
 * without ':' or not UTF-8 are passed over (the decoder calls the frame not valid; its values
 * are still masked). A CR ending a message inside a credential's value may be its EOL's: it is
 * left as it is (one byte, always CR).
 */
import { CREDENTIAL_HEADER_NAMES, looksLikeCredentialHeader } from '../../shared/secret-headers';
import { childPath, isStompCredentialHeader } from './frame-credentials';
import { noteField, type FoundCredentials } from './credential-range';
import type { CredentialStream } from './credential-stream';
import { STOMP_COMMANDS, unescape } from './stomp-frame';

const NUL = 0;
const LF = 0x0a;
const CR = 0x0d;
const COLON = 0x3a;
const COMMANDS = [...STOMP_COMMANDS];
/** Longer than any command line (UNSUBSCRIBE, CR). */
const MAX_COMMAND_CHARS = 20;
/**
 * Header names are read this far; the value of a longer one is masked (it might be named like a
 * credential past what was kept). Headers longer than this are always read name by name, so a
 * frame is masked the same however it is split.
 */
const MAX_NAME_CHARS = 4096;
/** Whole names (lower case) that are credentials, found as words in headers (a longer name holding one may be one too). */
const CREDENTIAL_NAMES = ['passcode', ...CREDENTIAL_HEADER_NAMES];

const LF_LF = Buffer.from('\n\n');
const LF_CR_LF = Buffer.from('\n\r\n');
const LF_CONTENT_LENGTH = Buffer.from('\ncontent-length:');

type Phase = 'start' | 'cr' | 'command' | 'name' | 'value' | 'length' | 'nul' | 'body';

/** What is there of a command line could still become one (a trailing CR: its EOL under way). */
function commandPrefix(text: string): boolean {
  const bare = text.endsWith('\r') ? text.slice(0, -1) : text;
  return COMMANDS.some((command) => (bare.length < text.length ? command === bare : command.startsWith(text)));
}

/** A STOMP frame's header name with its escapes read (1.1+); the raw name when one is undefined. */
function unescapedName(raw: string): string {
  const name = unescape(raw, 'a header name');
  return typeof name === 'string' ? name : raw;
}

/**
 * Whether some header in `headers` (UTF-8 text of header lines) may be named like a credential:
 * one of the names or the headers' rule's words somewhere in the text. Any name the decoder
 * reads as a credential's has its word in the text: escapes stand for ':', CR, LF and a backslash,
 * which no name or word holds, and lower case (the Kelvin sign is a 'k') is taken of the text.
 */
function mayNameCredential(headers: string): boolean {
  if (looksLikeCredentialHeader(headers)) return true;
  const lower = headers.toLowerCase();
  return CREDENTIAL_NAMES.some((name) => lower.includes(name));
}

/** A header name's bytes kept as latin1 text, read as UTF-8 (as the decoder reads it). */
function utf8Name(latin1: string): string {
  return /[^\0-\x7f]/.test(latin1) ? Buffer.from(latin1, 'latin1').toString('utf8') : latin1;
}

export class StompCredentialStream implements CredentialStream {
  private phase: Phase = 'start';
  /** The command line, header name or content-length value read so far. */
  private text = '';
  /** The name under way is longer than MAX_NAME_CHARS (its value is masked). */
  private longName = false;
  /** The frame's header names are escaped (from 1.1 on, except in CONNECT and CONNECTED). */
  private escaped = false;
  /** The value under way: a credential's (its path), the first content-length's, or neither. */
  private value: { kind: 'secret'; field: string } | { kind: 'length' } | { kind: 'skip' } = { kind: 'skip' };
  private sawLength = false;
  private contentLength: number | undefined;
  private badLength = false;
  /** Body bytes still to pass (content-length). */
  private remaining = 0;

  clone(): StompCredentialStream {
    return Object.assign(new StompCredentialStream(), this);
  }

  read(_opcode: 'text' | 'binary', bytes: Uint8Array, found: FoundCredentials): void {
    const length = bytes.length;
    let i = 0;
    while (i < length) {
      switch (this.phase) {
        case 'start': {
          const b = bytes[i];
          if (b === LF) i++;
          else if (b === CR) {
            if (i + 1 === length) {
              this.phase = 'cr';
              i++;
            } else if (bytes[i + 1] === LF) i += 2;
            else return this.error();
          } else {
            this.phase = 'command';
            this.text = '';
          }
          break;
        }
        case 'cr':
          if (bytes[i] !== LF) return this.error();
          this.phase = 'start';
          i++;
          break;
        case 'command': {
          const lf = bytes.indexOf(LF, i);
          const end = lf < 0 ? length : lf;
          const stop = Math.min(end, i + MAX_COMMAND_CHARS + 1 - this.text.length);
          for (let k = i; k < stop; k++) this.text += String.fromCharCode(bytes[k] ?? 0);
          if (lf < 0) {
            if (!commandPrefix(this.text)) return this.error();
            return;
          }
          const command = this.text.endsWith('\r') ? this.text.slice(0, -1) : this.text;
          if (!STOMP_COMMANDS.has(command)) return this.error();
          this.escaped = command !== 'CONNECT' && command !== 'CONNECTED';
          this.sawLength = false;
          this.contentLength = undefined;
          this.badLength = false;
          this.phase = 'name';
          this.text = '';
          this.longName = false;
          i = this.headersAtOnce(bytes, lf);
          if (i < 0) return this.error();
          break;
        }
        case 'name':
          i = this.name(bytes, i);
          if (i < 0) return this.error();
          break;
        case 'value':
          i = this.valueBytes(bytes, i, found);
          break;
        case 'length': {
          const take = Math.min(this.remaining, length - i);
          this.remaining -= take;
          i += take;
          if (this.remaining === 0) this.phase = 'nul';
          break;
        }
        case 'nul':
          if (bytes[i] !== NUL) return this.error();
          this.phase = 'start';
          i++;
          break;
        case 'body': {
          const nul = bytes.indexOf(NUL, i);
          if (nul < 0) return;
          this.phase = 'start';
          i = nul + 1;
          break;
        }
      }
    }
  }

  /**
   * A frame whose headers are all in this message and name no credential (most frames): only
   * where they end and the first content-length matter, found with indexOf (a header line holds
   * no LF, so "LF content-length:" starts that header's line and the first empty line ends them).
   * Returns where the body starts, the command line's LF + 1 to read the headers byte by byte
   * (they continue in a later message, or may name a credential), or -1 on an error (a
   * content-length that is not a number).
   */
  private headersAtOnce(bytes: Uint8Array, lf: number): number {
    const buffer = bytes instanceof Buffer ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    // Searches back from the first LF LF look at the headers only, not the body after them.
    const lflf = buffer.indexOf(LF_LF, lf);
    const crlfBefore = lflf < 0 || buffer.lastIndexOf(LF_CR_LF, lflf) >= lf;
    const lfcrlf = crlfBefore ? buffer.indexOf(LF_CR_LF, lf) : -1;
    const blank = lflf < 0 ? lfcrlf : lfcrlf < 0 ? lflf : Math.min(lflf, lfcrlf);
    if (blank < 0 || blank - lf > MAX_NAME_CHARS || mayNameCredential(buffer.toString('utf8', lf + 1, blank))) return lf + 1;
    const named = buffer.lastIndexOf(LF_CONTENT_LENGTH, blank) >= lf ? buffer.indexOf(LF_CONTENT_LENGTH, lf) : -1;
    if (named >= 0 && named < blank) {
      this.sawLength = true;
      const valueStart = named + LF_CONTENT_LENGTH.length;
      const valueEnd = buffer.indexOf(LF, valueStart);
      const value = buffer.toString('latin1', valueStart, valueEnd).trim();
      if (!/^\d{1,10}$/.test(value)) return -1;
      this.contentLength = Number(value);
    }
    return this.headersEnded() ? blank + (blank === lflf ? 2 : 3) : -1;
  }

  /** Reads a header name from `at` up to its ':' (or the empty line ending the headers); returns where to go on, -1 on an error. */
  private name(bytes: Uint8Array, at: number): number {
    for (let i = at; i < bytes.length; i++) {
      const b = bytes[i] ?? 0;
      if (b === LF) {
        if (this.text === '' || this.text === '\r') return this.headersEnded() ? i + 1 : -1;
        this.text = ''; // a line without ':' (not valid): passed over
        this.longName = false;
        continue;
      }
      if (b === COLON) {
        const raw = utf8Name(this.text);
        const name = this.escaped ? unescapedName(raw) : raw;
        const long = this.longName;
        this.text = '';
        this.longName = false;
        this.phase = 'value';
        if (long || isStompCredentialHeader(name) || (name !== raw && isStompCredentialHeader(raw))) this.value = { kind: 'secret', field: childPath(childPath('$', 'headers'), name) };
        else if (name === 'content-length' && !this.sawLength) {
          this.sawLength = true;
          this.value = { kind: 'length' };
        } else this.value = { kind: 'skip' };
        return i + 1;
      }
      if (this.text.length < MAX_NAME_CHARS) this.text += String.fromCharCode(b);
      else this.longName = true;
    }
    return bytes.length;
  }

  /** A header value's bytes from `at`: masked when a credential's, read when the content-length; returns where to go on. */
  private valueBytes(bytes: Uint8Array, at: number, found: FoundCredentials): number {
    const lf = bytes.indexOf(LF, at);
    const end = lf < 0 ? bytes.length : lf;
    if (this.value.kind === 'secret') {
      // The CR of a CR LF is the EOL's, not the value's; one ending the message may be either (left as is).
      const valueEnd = end > at && bytes[end - 1] === CR ? end - 1 : end;
      if (valueEnd > at) {
        found.ranges.push([at, valueEnd]);
        noteField(found, this.value.field);
      }
    } else if (this.value.kind === 'length' && this.text.length < 40) {
      this.text += Buffer.from(bytes.buffer, bytes.byteOffset + at, Math.min(end - at, 40)).toString('latin1');
    }
    if (lf < 0) return bytes.length;
    if (this.value.kind === 'length') {
      const value = this.text.trim();
      if (/^\d{1,10}$/.test(value)) this.contentLength = Number(value);
      else this.badLength = true;
    }
    this.text = '';
    this.phase = 'name';
    return lf + 1;
  }

  /** The empty line: the body comes next (false: a content-length that is not a number, an error as in the decoder). */
  private headersEnded(): boolean {
    if (this.badLength) return false;
    this.text = '';
    if (this.contentLength === undefined) this.phase = 'body';
    else {
      this.remaining = this.contentLength;
      this.phase = this.remaining === 0 ? 'nul' : 'length';
    }
    return true;
  }

  /** Not STOMP from here: the rest of the message is dropped and the next one starts afresh (as in the decoder). */
  private error(): void {
    this.phase = 'start';
    this.text = '';
    this.value = { kind: 'skip' };
  }
}
