/**
 * `connect --json` with --decode: a frame line's raw payload (`text`, `base64`) with the bytes of
 * the credentials the decoder found inside it (an MQTT password, a STOMP passcode:
 * core/decode/credential-bytes.ts) as '*', as exports write it; `decoded` already shows the
 * REDACTED marker there (decoded-record.ts). Every frame printed is handed over in order, since
 * an MQTT packet may span messages; the protocol is the one the decoding chose.
 */
import { CredentialBytes } from '../core';
import type { FrameBody, FrameSummary } from '../shared/model';

export class CliFrameMasking {
  private masker: CredentialBytes | undefined;

  /** The frame and body to print, masked where a credential is (the same objects when there is none). */
  mask(protocol: string | undefined, frame: FrameSummary, body: FrameBody | undefined): { frame: FrameSummary; body: FrameBody | undefined } {
    if (protocol === undefined) return { frame, body };
    if (this.masker?.protocol !== protocol) this.masker = new CredentialBytes(protocol);
    const whole = frame.opcode === 'text' && !frame.truncated && body?.text === undefined;
    const bytes =
      body?.text !== undefined ? Buffer.from(body.text, 'utf8') : body ? Buffer.from(body.base64, 'base64') : whole ? Buffer.from(frame.preview, 'utf8') : undefined;
    if (!bytes) return { frame, body };
    const { bytes: masked, masked: count } = this.masker.mask(frame.dir, frame.opcode, bytes);
    if (count === 0) return { frame, body };
    const out = Buffer.from(masked);
    if (whole && !body) return { frame: { ...frame, preview: out.toString('utf8') }, body };
    if (!body) return { frame, body };
    return { frame: frame.opcode === 'text' && !frame.truncated ? { ...frame, preview: out.toString('utf8') } : frame, body: body.text !== undefined ? { ...body, text: out.toString('utf8'), base64: out.toString('base64') } : { ...body, base64: out.toString('base64') } };
  }
}
