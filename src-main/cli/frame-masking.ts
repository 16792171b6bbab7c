/**
 * The CLI's frames as printed (`--json` lines of connect and intercept, and connect's human
 * lines): the raw payload (`text`, `base64`, the preview) and an edited intercepted frame's
 * original with the bytes of the credentials inside them (an MQTT password, a STOMP passcode:
 * core/decode/credential-bytes.ts) as '*', as exports write them, whatever --decode says (none
 * included). The protocol is recognised as `auto` would from the upgrade and
 * the first messages, plus the one --decode named; `decoded` shows the REDACTED marker on its own
 * (decoded-record.ts). Every frame printed is handed over in order, since a protocol frame may span
 * messages; a new attempt of a reconnecting connection starts afresh.
 *
 * Frames can be dropped before they are printed: evicted by the bounded store (--keep-frames)
 * before their batch was built (a seq gap between frames handed over) or before their body was
 * read (a binary or long text frame printed without its payload). The masker cannot follow a
 * frame under way across them, so after one each direction's messages are masked as exports mask
 * them (core/decode/midway-credentials.ts): whole, up to where a protocol frame surely starts.
 */
import { CredentialBytes, MidwayCredentials } from '../core';
import type { FrameBody, FrameSummary, HandshakeStep } from '../shared/model';

/** The request target of the upgrade's start line ("GET /socket.io/?EIO=4 HTTP/1.1"). */
function requestTarget(startLine: string): string | undefined {
  return startLine.split(' ')[1];
}

/** `68 65 6c`: the engine's hex preview (frame-store.ts) of these bytes. */
function spacedHex(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i++) out += (i === 0 ? '' : ' ') + (bytes[i] ?? 0).toString(16).padStart(2, '0');
  return out;
}

/**
 * The frame's preview cut from the masked payload where the engine cut it from the payload:
 * masking keeps every byte's place, so the same bytes (a text frame's preview is its first
 * characters, which are valid UTF-8 since the WebSocket checks it; a binary one's the first bytes
 * in hex, two digits and a space each).
 */
function maskedPreview(frame: FrameSummary, masked: Buffer): string {
  if (frame.opcode === 'text') return masked.toString('utf8', 0, Math.min(masked.length, Buffer.byteLength(frame.preview, 'utf8')));
  return spacedHex(masked.subarray(0, Math.ceil(frame.preview.length / 3)));
}

export class CliFrameMasking {
  private readonly masker = new CredentialBytes();
  private readonly midway = new MidwayCredentials(this.masker);
  /** seq of the last frame handed over (0: none yet; the session's first frame is 1). */
  private lastSeq = 0;
  /** Frames were dropped since the last one read: the next may continue a frame begun in them. */
  private gap = false;
  /** --reconnect: the seq the next attempt's first frame has (after the ended one's last), when known. */
  private attemptStart: number | undefined;

  /** The upgrade leg tells the request target and the subprotocol the server chose. */
  handshake(step: HandshakeStep): void {
    if (step.leg !== 'upgrade' || !step.ok || !step.request) return;
    const subprotocol = step.response?.headers.find(([name]) => name.toLowerCase() === 'sec-websocket-protocol')?.[1]?.trim();
    this.masker.noteHandshake(requestTarget(step.request.startLine), subprotocol);
  }

  /**
   * --reconnect: the next attempt is a new connection (nothing under way carries over). `afterSeq`:
   * the ended attempt's last frame, so the next one's first is known; a later first frame (it was
   * evicted) or none known is read as after a gap, as exports do.
   */
  attemptEnded(afterSeq?: number): void {
    this.midway.fresh();
    this.gap = false;
    this.attemptStart = afterSeq === undefined ? undefined : afterSeq + 1;
  }

  /** Notes the frame's place: a new attempt's first frame starts afresh, one after dropped frames midway. */
  private arrive(seq: number): void {
    const start = this.attemptStart !== undefined && seq === this.attemptStart;
    if (seq !== this.lastSeq + 1) this.gap = true;
    this.lastSeq = Math.max(this.lastSeq, seq);
    this.attemptStart = undefined;
    if (start) this.midway.fresh();
    else if (this.gap) this.midway.afterGap();
    this.gap = false;
  }

  /**
   * Whether the frame's payload is needed to print it (mask() reads every message of the
   * session in order while it may carry credentials, and a preview is only part of a message).
   */
  needsBody(frame: FrameSummary, named?: string): boolean {
    return this.reading(named) && (frame.opcode === 'binary' || (frame.opcode === 'text' && frame.truncated));
  }

  /** Whether messages are read at all (false once recognition found no protocol that carries credentials). */
  reading(named?: string): boolean {
    if (named !== undefined) this.masker.lookFor(named);
    return this.masker.reading;
  }

  /**
   * The frame and body to print, masked where a credential is (the same objects when there is
   * none). `named`: the protocol --decode named (looked for besides the one recognised).
   */
  mask(frame: FrameSummary, body: FrameBody | undefined, named?: string): { frame: FrameSummary; body: FrameBody | undefined } {
    if (named !== undefined) this.masker.lookFor(named);
    this.arrive(frame.seq);
    // A plain flood (no protocol that carries credentials): not even the bytes are made.
    if (!this.masker.reading) return { frame, body };
    const whole = frame.opcode === 'text' && !frame.truncated && body?.text === undefined;
    const bytes = body?.text !== undefined ? Buffer.from(body.text, 'utf8') : body ? Buffer.from(body.base64, 'base64') : whole ? Buffer.from(frame.preview, 'utf8') : undefined;
    if (!bytes && (frame.opcode === 'text' || frame.opcode === 'binary')) return this.previewOnly(frame, body);
    // The original first: it stands where the frame does, before the stream moves past it.
    const original = body?.original ? this.midway.maskBeside(frame.dir, frame.opcode, Buffer.from(body.original.base64, 'base64')) : undefined;
    const payload = bytes ? this.midway.mask(frame.dir, frame.opcode, bytes) : undefined;
    if (!payload?.masked && !original?.masked) return { frame, body };
    let shownFrame = frame;
    let shownBody = body;
    if (payload && payload.masked > 0) {
      const out = Buffer.from(payload.bytes);
      // A preview that is part of the payload (a binary frame, a long text) is masked as well: the human output prints it.
      shownFrame = { ...frame, preview: frame.opcode === 'text' && !frame.truncated ? out.toString('utf8') : maskedPreview(frame, out) };
      if (body) shownBody = body.text !== undefined ? { ...body, text: out.toString('utf8'), base64: out.toString('base64') } : { ...body, base64: out.toString('base64') };
    }
    if (shownBody?.original && original && original.masked > 0) {
      const out = Buffer.from(original.bytes);
      shownBody = { ...shownBody, original: { base64: out.toString('base64'), ...(shownBody.original.text !== undefined ? { text: out.toString('utf8') } : {}) } };
    }
    return { frame: shownFrame, body: shownBody };
  }

  /**
   * A message whose payload was evicted before it was read: only its preview (its first bytes) is
   * printed. They are masked as the start of that message, and the rest is dropped: what follows
   * is read as after a gap.
   */
  private previewOnly(frame: FrameSummary, body: FrameBody | undefined): { frame: FrameSummary; body: FrameBody | undefined } {
    this.gap = true;
    const spaced = frame.preview.includes(' ');
    const bytes = frame.opcode === 'text' ? Buffer.from(frame.preview, 'utf8') : Buffer.from(spaced ? frame.preview.replace(/ /g, '') : frame.preview, 'hex');
    const seen = this.midway.maskBeside(frame.dir, frame.opcode, bytes);
    if (seen.masked === 0) return { frame, body };
    const out = Buffer.from(seen.bytes);
    const preview = frame.opcode === 'text' ? out.toString('utf8') : spaced ? spacedHex(out) : out.toString('hex');
    return { frame: { ...frame, preview }, body };
  }
}
