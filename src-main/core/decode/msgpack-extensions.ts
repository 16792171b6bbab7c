/**
 * MessagePack extension types read as sent. msgpackr refuses a type it has no reader for
 * ("Unknown extension type 5") and reads some application types its own way (0x73 as a Set made
 * of the value *after* the extension, 0x78 as a RegExp, 0x65 as an Error, 0x74 as a typed
 * array …), so plain MessagePack with application extensions was called not valid or misread.
 * Every type but the timestamp (-1, which the format itself defines) is read as
 * {"$ext": type, "$bytes": base64, "length": n}, beside json-value.ts's bytes.
 *
 * msgpackr keeps its readers per process (addExtension), shared by every Unpackr: here, the
 * decoders' (msgpack-decoder.ts, signalr-decoder.ts); the composer (encode-message.ts) only
 * packs, which these readers do not touch (they have no Class).
 */
import { addExtension } from 'msgpackr';

const TIMESTAMP = 0xff;

export interface ExtensionValue {
  /** The extension type as the format numbers it: -128 to 127. */
  $ext: number;
  $bytes: string;
  length: number;
}

let installed = false;

/** Installs the readers once (idempotent: both decoders call it when loaded). */
export function readExtensionsAsSent(): void {
  if (installed) return;
  installed = true;
  for (let type = 0; type < 0x100; type++) {
    if (type === TIMESTAMP) continue;
    const signed = type > 0x7f ? type - 0x100 : type;
    addExtension({
      type,
      unpack: (data: Buffer | Uint8Array): ExtensionValue => ({
        $ext: signed,
        $bytes: Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('base64'),
        length: data.byteLength,
      }),
    });
  }
}
