/**
 * GraphQL-ws and Socket.IO credentials in one direction's raw messages: the values of keys named
 * like credentials in a GraphQL `connection_init` payload, or in a Socket.IO CONNECT's auth
 * payload (`40{…}`, `40/nsp,{…}`), at any depth (frame-credentials.ts). A string's characters
 * between its quotes become '*' (escapes included), a number `0` then spaces: still the same JSON.
 *
 * A small JSON reader over the bytes, byte by byte, that keeps its place when a message ends
 * inside the object: the next message of the direction is read as its continuation, and read
 * afresh instead when it does not continue it (a JSON error in it). Only messages that could
 * start such a frame are read at all: for GraphQL one starting with '{' that names
 * connection_init (or has a \u escape, or does not end with '}', so may continue), for Socket.IO
 * one starting with `40`. GraphQL's rule needs the top-level `type`: a message masks when it is
 * connection_init, or not yet known while the object continues in a later message (a client
 * writes `type` first; one written after the payload, in a later message, masks its payload's
 * credentials anyway). Keys are compared with their escapes read (`\u0074oken` is `token`).
 */
import { looksLikeCredentialHeader } from '../../shared/secret-headers';
import { childPath } from './frame-credentials';
import { noteField, type CredentialRange, type FoundCredentials } from './credential-range';
import type { CredentialStream } from './credential-stream';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const MAX_KEY_CHARS = 256;
const MAX_LITERAL_CHARS = 400;
const CONNECTION_INIT = Buffer.from('connection_init');
const UNICODE_ESCAPE = Buffer.from('\\u');
const LITERAL = /^(?:-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)$/;

export type JsonCredentialProtocol = 'graphql-ws' | 'socketio';

interface Container {
  kind: 'object' | 'array';
  expect: 'key' | 'colon' | 'value' | 'comma';
  /** Members or items so far (an empty container may close at once). */
  count: number;
  /** This container's path in the frame's decoded value. */
  path: string;
  /** The keys from the top ('payload', …): GraphQL's rule asks for the first. */
  keys: readonly string[];
  /** The field of the credential this container lies inside, if any. */
  secret: string | undefined;
  /** The member under way's key, and its value's credential field. */
  key: string;
  memberSecret: string | undefined;
}

type Token =
  | { kind: 'string'; role: 'key' | 'value'; secret: string | undefined; escape: boolean; capture: boolean; raw: string }
  /** `begun`: its first byte was read (in an earlier message, or earlier in this one). */
  | { kind: 'literal'; secret: string | undefined; text: string; begun: boolean };

function isSpace(b: number): boolean {
  return b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;
}

function isLiteralByte(b: number): boolean {
  return (b >= 0x30 && b <= 0x39) || (b >= 0x61 && b <= 0x7a) || (b >= 0x41 && b <= 0x5a) || b === 0x2b || b === 0x2d || b === 0x2e;
}

/** A JSON string's raw characters (as bytes, in latin1) as the decoder reads them: UTF-8, escapes read. */
function stringValue(raw: string): string {
  const text = Buffer.from(raw, 'latin1').toString('utf8');
  if (!text.includes('\\')) return text;
  try {
    const value: unknown = JSON.parse(`"${text}"`);
    return typeof value === 'string' ? value : text;
  } catch {
    return text;
  }
}

class NotJson extends Error {}

export class JsonCredentialStream implements CredentialStream {
  /** fresh: nothing under way; prefix: Socket.IO's `40/nsp,` read so far; json: inside the object. */
  private mode: 'fresh' | 'prefix' | 'json' = 'fresh';
  /** Socket.IO's prefix: 0 wants '4', 1 wants '0', 2 wants '/' or '{', 3 inside the namespace. */
  private prefixStage = 0;
  private stack: Container[] = [];
  private token: Token | undefined;
  /** GraphQL's top-level `type`, once read. */
  private type: string | undefined;

  constructor(private readonly protocol: JsonCredentialProtocol) {}

  clone(): JsonCredentialStream {
    const copy = Object.assign(new JsonCredentialStream(this.protocol), this);
    copy.stack = this.stack.map((container) => ({ ...container }));
    copy.token = this.token && { ...this.token };
    return copy;
  }

  read(_opcode: 'text' | 'binary', bytes: Uint8Array, found: FoundCredentials): void {
    if (this.mode !== 'fresh') {
      const mine: FoundCredentials = { ranges: [], fields: [] };
      const outcome = this.scan(bytes, 0, mine);
      if (outcome !== 'error') return this.keep(outcome, mine, found);
      this.afresh(); // not its continuation: a message of its own
    }
    const start = this.candidateStart(bytes);
    if (start === undefined) return;
    const mine: FoundCredentials = { ranges: [], fields: [] };
    if (this.protocol === 'socketio') this.mode = 'prefix';
    else {
      this.mode = 'json';
      this.stack = [];
      this.token = undefined;
      this.startValue(bytes[start] ?? 0, start, undefined);
    }
    const outcome = this.scan(bytes, this.protocol === 'socketio' ? start : start + 1, mine);
    this.keep(outcome, mine, found);
  }

  /** Where a message that may start a credential frame starts; undefined for any other message. */
  private candidateStart(bytes: Uint8Array): number | undefined {
    if (this.protocol === 'socketio') return bytes[0] === 0x34 && (bytes.length === 1 || bytes[1] === 0x30) ? 0 : undefined;
    let start = 0;
    while (start < bytes.length && isSpace(bytes[start] ?? 0)) start++;
    if (bytes[start] !== 0x7b) return undefined;
    let end = bytes.length - 1;
    while (end > start && isSpace(bytes[end] ?? 0)) end--;
    const buffer = bytes instanceof Buffer ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const may = bytes[end] !== 0x7d || buffer.includes(CONNECTION_INIT) || buffer.includes(UNICODE_ESCAPE);
    return may ? start : undefined;
  }

  /** Takes a message's findings as its outcome says (GraphQL's rule on `type`), and what state follows. */
  private keep(outcome: 'open' | 'done' | 'error', mine: FoundCredentials, found: FoundCredentials): void {
    const masks = this.protocol === 'socketio' || this.type === 'connection_init' || (this.type === undefined && outcome === 'open');
    if (masks) {
      found.ranges.push(...mine.ranges);
      for (const field of mine.fields) noteField(found, field);
    }
    if (outcome !== 'open') this.afresh();
  }

  private afresh(): void {
    this.mode = 'fresh';
    this.prefixStage = 0;
    this.stack = [];
    this.token = undefined;
    this.type = undefined;
  }

  /** Reads from `at` to the message's end: open (the frame continues), done (it ended), or error (not this JSON). */
  private scan(bytes: Uint8Array, at: number, found: FoundCredentials): 'open' | 'done' | 'error' {
    try {
      let i = at;
      if (this.mode === 'prefix') {
        i = this.prefix(bytes, i);
        if (i < 0) return 'done';
        if (!this.inJson()) return 'open';
      }
      while (i < bytes.length) {
        if (this.token) {
          i = this.tokenBytes(bytes, i, found);
          continue;
        }
        const top = this.stack[this.stack.length - 1];
        if (!top) return 'done';
        i = this.structure(top, bytes, i);
        if (this.stack.length === 0) return 'done';
      }
      return 'open';
    } catch (error) {
      if (error instanceof NotJson) return 'error';
      throw error;
    }
  }

  private inJson(): boolean {
    return this.mode === 'json';
  }

  /** Socket.IO's `40`, `/nsp,` then '{'; returns where the JSON goes on, or -1 for a message that holds no auth payload. */
  private prefix(bytes: Uint8Array, at: number): number {
    for (let i = at; i < bytes.length; i++) {
      const b = bytes[i] ?? 0;
      if (this.prefixStage === 0) {
        if (b !== 0x34) throw new NotJson();
        this.prefixStage = 1;
      } else if (this.prefixStage === 1) {
        if (b !== 0x30) throw new NotJson();
        this.prefixStage = 2;
      } else if (this.prefixStage === 2 || this.prefixStage === 4) {
        if (b === 0x2f && this.prefixStage === 2) this.prefixStage = 3;
        else if (b === 0x7b) {
          this.mode = 'json';
          this.stack = [];
          return this.startValue(b, i, undefined);
        } else return -1; // a CONNECT without an auth payload (or not one): nothing here
      } else if (b === 0x2c) this.prefixStage = 4; // the namespace's ','
    }
    return bytes.length;
  }

  /** A byte where the container expects structure (a key, ':', a value, ',' or its end). */
  private structure(top: Container, bytes: Uint8Array, i: number): number {
    const b = bytes[i] ?? 0;
    if (isSpace(b)) return i + 1;
    switch (top.expect) {
      case 'key':
        if (b === QUOTE) {
          this.token = { kind: 'string', role: 'key', secret: undefined, escape: false, capture: true, raw: '' };
          return i + 1;
        }
        if (b === 0x7d && top.count === 0) return this.close(i);
        throw new NotJson();
      case 'colon':
        if (b !== 0x3a) throw new NotJson();
        top.expect = 'value';
        return i + 1;
      case 'value':
        if (b === 0x5d && top.kind === 'array' && top.count === 0) return this.close(i);
        top.expect = 'comma';
        top.count++;
        return this.startValue(b, i, top);
      case 'comma':
        if (b === 0x2c) {
          top.expect = top.kind === 'object' ? 'key' : 'value';
          return i + 1;
        }
        if ((b === 0x7d && top.kind === 'object') || (b === 0x5d && top.kind === 'array')) return this.close(i);
        throw new NotJson();
    }
  }

  private close(i: number): number {
    this.stack.pop();
    return i + 1;
  }

  /** A value starting with byte `b` at `i`, inside `parent` (undefined: the top-level object); returns where reading goes on. */
  private startValue(b: number, i: number, parent: Container | undefined): number {
    const secret = parent ? (parent.kind === 'object' ? parent.memberSecret : parent.secret) : undefined;
    const path = parent ? (parent.kind === 'object' ? childPath(parent.path, parent.key) : childPath(parent.path, parent.count - 1)) : this.protocol === 'socketio' ? '$.data' : '$';
    const keys = parent ? (parent.kind === 'object' ? [...parent.keys, parent.key] : parent.keys) : [];
    if (b === 0x7b || b === 0x5b) {
      this.stack.push({ kind: b === 0x7b ? 'object' : 'array', expect: b === 0x7b ? 'key' : 'value', count: 0, path, keys, secret, key: '', memberSecret: undefined });
      return i + 1;
    }
    if (b === QUOTE) {
      // GraphQL's top-level `type` is read on the way.
      const capture = this.protocol === 'graphql-ws' && this.stack.length === 1 && parent?.kind === 'object' && parent.key === 'type';
      this.token = { kind: 'string', role: 'value', secret, escape: false, capture, raw: '' };
      return i + 1;
    }
    if (!isLiteralByte(b)) throw new NotJson();
    this.token = { kind: 'literal', secret, text: '', begun: false };
    return i; // the literal's own first byte
  }

  /** The bytes of the string or literal under way from `at`; returns where it ended (or the message's end). */
  private tokenBytes(bytes: Uint8Array, at: number, found: FoundCredentials): number {
    const token = this.token;
    if (!token) return at;
    if (token.kind === 'string') {
      let i = at;
      let escape = token.escape;
      for (; i < bytes.length; i++) {
        const b = bytes[i] ?? 0;
        if (escape) escape = false;
        else if (b === BACKSLASH) escape = true;
        else if (b === QUOTE) break;
      }
      token.escape = escape;
      if (token.secret !== undefined && i > at) {
        found.ranges.push([at, i]);
        noteField(found, token.secret);
      }
      if (token.capture && token.raw.length < MAX_KEY_CHARS) token.raw += Buffer.from(bytes.buffer, bytes.byteOffset + at, Math.min(i - at, MAX_KEY_CHARS)).toString('latin1');
      if (i >= bytes.length) return i;
      this.token = undefined;
      if (token.role === 'key') this.keyRead(stringValue(token.raw));
      else if (token.capture) this.type = stringValue(token.raw);
      return i + 1;
    }
    // A literal (a number, true, false, null): up to the first byte that cannot be in one.
    let i = at;
    while (i < bytes.length && isLiteralByte(bytes[i] ?? 0)) i++;
    if (token.text.length < MAX_LITERAL_CHARS) token.text += Buffer.from(bytes.buffer, bytes.byteOffset + at, Math.min(i - at, MAX_LITERAL_CHARS)).toString('latin1');
    const first = token.text[0] ?? '';
    if (token.secret !== undefined && i > at && (first === '-' || (first >= '0' && first <= '9'))) {
      const range: CredentialRange = [at, i, token.begun ? 2 : 1];
      found.ranges.push(range);
      noteField(found, token.secret);
    }
    if (i > at) token.begun = true;
    if (i >= bytes.length) return i;
    if (!LITERAL.test(token.text)) throw new NotJson();
    this.token = undefined;
    return i;
  }

  /** A member's key, read: its value is a credential when the key is named like one where the protocol looks. */
  private keyRead(key: string): void {
    const top = this.stack[this.stack.length - 1];
    if (!top) return;
    top.key = key;
    top.expect = 'colon';
    const keys = [...top.keys, key];
    const where = this.protocol === 'socketio' ? keys.length >= 1 : keys.length >= 2 && keys[0] === 'payload';
    top.memberSecret = top.secret ?? (where && looksLikeCredentialHeader(key) ? childPath(top.path, key) : undefined);
  }
}
