/**
 * Reading an NTLM message from bytes a proxy sent: every length and offset is checked before it
 * is used, and a problem is an NtlmFormatError naming the field (`TargetInfo offset 900 + length
 * 36 is past the message's 120 bytes`), never an exception from a Buffer read.
 */

export const NTLM_SIGNATURE = Buffer.from('NTLMSSP\0', 'latin1');

export class NtlmFormatError extends Error {
  /** The message field that is wrong, as MS-NLMP names it (`TargetInfo`, `MessageType`, …). */
  readonly field: string;

  constructor(field: string, problem: string) {
    super(`${field}: ${problem}`);
    this.name = 'NtlmFormatError';
    this.field = field;
  }
}

export class NtlmReader {
  readonly bytes: Buffer;
  private readonly what: string;

  /** `what` names the message in errors (`the CHALLENGE message`). */
  constructor(bytes: Buffer, what: string) {
    this.bytes = bytes;
    this.what = what;
  }

  private need(field: string, offset: number, length: number): void {
    if (offset + length > this.bytes.length) {
      throw new NtlmFormatError(field, `${this.what} is ${this.bytes.length} bytes, too short to hold it (needs ${offset + length})`);
    }
  }

  u16(offset: number, field: string): number {
    this.need(field, offset, 2);
    return this.bytes.readUInt16LE(offset);
  }

  u32(offset: number, field: string): number {
    this.need(field, offset, 4);
    return this.bytes.readUInt32LE(offset);
  }

  slice(offset: number, length: number, field: string): Buffer {
    this.need(field, offset, length);
    return this.bytes.subarray(offset, offset + length);
  }

  /** The signature and the message type, checked. */
  expectHeader(type: number, typeName: string): void {
    const signature = this.slice(0, 8, 'Signature');
    if (!signature.equals(NTLM_SIGNATURE)) throw new NtlmFormatError('Signature', `${this.what} does not start with "NTLMSSP\\0"`);
    const actual = this.u32(8, 'MessageType');
    if (actual !== type) throw new NtlmFormatError('MessageType', `expected ${type} (${typeName}), got ${actual}`);
  }

  /**
   * A payload field by its 8-byte descriptor at `at` (Len, MaxLen, BufferOffset): the bytes it
   * points at, inside the message and after the fixed header of `headerBytes`.
   */
  field(at: number, field: string, headerBytes: number): Buffer {
    const length = this.u16(at, `${field} length`);
    const offset = this.u32(at + 4, `${field} offset`);
    if (length === 0) return Buffer.alloc(0);
    if (offset < headerBytes) {
      throw new NtlmFormatError(field, `offset ${offset} points into the message's fixed header (${headerBytes} bytes)`);
    }
    if (offset + length > this.bytes.length) {
      throw new NtlmFormatError(field, `offset ${offset} + length ${length} is past the end of ${this.what} (${this.bytes.length} bytes)`);
    }
    return this.bytes.subarray(offset, offset + length);
  }
}

/** UTF-16LE text; an odd byte count is a malformed field. */
export function utf16Text(bytes: Buffer, field: string): string {
  if (bytes.length % 2 !== 0) throw new NtlmFormatError(field, `${bytes.length} bytes is not whole UTF-16 characters`);
  return bytes.toString('utf16le');
}

/** A text field as the message's flags say it is encoded: UTF-16LE when UNICODE, else OEM (read as Latin-1). */
export function fieldText(bytes: Buffer, unicode: boolean, field: string): string {
  return unicode ? utf16Text(bytes, field) : bytes.toString('latin1');
}
