/**
 * What one session's reader (the CLI, an export) asks of the decoders: with `auto`, the protocol
 * is guessed from the handshake (the subprotocol the server chose, the request target) or, failing
 * that, from the first data messages; after RECOGNITION_FRAMES of them without a sign, nothing is
 * decoded and `wantsFrames` turns false, so a plain stream costs nothing per frame. A protocol
 * named by the user is not a guess. Decoding itself is lazy and cached (FrameDecodeCache).
 */
import { AttemptBoundaries } from './attempt-boundaries';
import { DECODER_NAMES, DECODER_TITLES, type DecodeOutcome, type DecoderName, type StreamDecoder, type WireFrame } from './decoded-frame';
import type { DecoderCheckpoints } from './decoder-checkpoints';
import { createDecoder, type DecoderSettings } from './decoder-registry';
import { FrameDecodeCache, type FrameReader } from './frame-decode-cache';
import { RECOGNITION_FRAMES, recogniseFirstFrame, recogniseSubprotocol, recogniseUrl, type ProtocolGuess } from './recognise-protocol';

export type DecodeChoice = 'auto' | 'none' | DecoderName;
export const DECODE_CHOICES: readonly DecodeChoice[] = ['auto', 'none', ...DECODER_NAMES];

/**
 * The checkpoints the log's rows decode from when they decode as `protocol` (StoreDecoding's),
 * else undefined: an in-order reader that lost frames (an export after the store evicted its
 * front) takes their state where it meets one, so it decodes as the rows do from there.
 */
export type RowCheckpoints = (protocol: DecoderName) => DecoderCheckpoints | undefined;

export interface ActiveDecoding {
  protocol: DecoderName;
  /** True until the user names the protocol (auto guessed it). */
  guess: boolean;
  /** Why: "the server chose the subprotocol v12.stomp", or "chosen with --decode". */
  reason: string;
}

export class SessionDecoding {
  private active: ActiveDecoding | undefined;
  private cache: FrameDecodeCache | undefined;
  private looked = 0;
  private settled: boolean;
  /** What Protocol Buffers rules may ask: the session's URL (given or noted) and the subprotocol the server chose. */
  private signs: { url?: string; subprotocol?: string };

  constructor(
    choice: DecodeChoice,
    /** Told once when a protocol is chosen (guessed or named). */
    private readonly onChosen: (active: ActiveDecoding) => void = () => undefined,
    private readonly readFrame: FrameReader | undefined = undefined,
    /** What some decoders need beyond their name (a Protocol Buffers schema). */
    private readonly settings: DecoderSettings = {},
    /** Why a named protocol is used ("chosen with --decode", "the profile decodes as stomp"). */
    namedBecause = 'chosen with --decode',
    private readonly rowCheckpoints: RowCheckpoints = () => undefined,
    /** A reconnecting connection's attempts: the decoder starts afresh at each (attempt-boundaries.ts). */
    private readonly boundaries: AttemptBoundaries = new AttemptBoundaries(),
  ) {
    this.settled = choice !== 'auto';
    this.signs = { ...settings.connection };
    if (choice !== 'auto' && choice !== 'none') this.choose({ protocol: choice, reason: namedBecause }, false);
  }

  get decoding(): ActiveDecoding | undefined {
    return this.active;
  }

  /** Whether frames should be handed over at all (recognising, or a protocol chosen). */
  get wantsFrames(): boolean {
    return this.active !== undefined || !this.settled;
  }

  /**
   * The session's URL (the engine's session-created event: variables filled in), for rules that
   * ask a part of it; said before the first frame is decoded (decoders read it when made).
   */
  noteSessionUrl(url: string): void {
    this.signs = { ...this.signs, url };
  }

  /**
   * The upgrade's request target (recognition only: rules read the session's whole URL, never the
   * target alone) and the subprotocol the server chose.
   */
  noteHandshake(target: string | undefined, subprotocol: string | undefined): void {
    this.signs = { ...(this.signs.url !== undefined ? { url: this.signs.url } : {}), ...(subprotocol !== undefined ? { subprotocol } : {}) };
    const named = this.active;
    if (named && !named.guess && named.protocol === 'socketio' && target !== undefined) {
      // A named Socket.IO still takes the Engine.IO version from the URL (3 frames binary differently).
      const engineVersion = recogniseUrl(target)?.engineVersion;
      if (engineVersion !== undefined) this.cache = this.cacheOf('socketio', () => createDecoder('socketio', { ...this.settings, engineVersion }));
      return;
    }
    if (this.settled) return;
    const guess = recogniseSubprotocol(subprotocol) ?? (target !== undefined ? recogniseUrl(target) : undefined);
    if (guess) this.choose(guess, true);
  }

  /** A frame in seq order (the CLI sees every frame so): its decoding, or undefined. */
  decodeInOrder(frame: WireFrame): DecodeOutcome | undefined {
    if (!this.settled && (frame.opcode === 'text' || frame.opcode === 'binary')) {
      const guess = recogniseFirstFrame(frame.opcode, frame.bytes);
      if (guess) this.choose(guess, true);
      else if (++this.looked >= RECOGNITION_FRAMES) this.settled = true;
    }
    return this.cache?.decodeInOrder(frame);
  }

  /**
   * Where decodeInOrder's decoder started afresh after frames before it were lost, while it has
   * not met a checkpoint of the rows' since, or where the walk that left the partial checkpoint it
   * took did (FrameDecodeCache.inOrderAfreshFrom): its answers lack what the frames before it set.
   * undefined: read in order from the session's first frame.
   */
  get afreshFrom(): number | undefined {
    return this.cache?.inOrderAfreshFrom;
  }

  /** An attempt of a reconnecting connection ended after frame `afterSeq` (the CLI's event): the next frame decodes afresh. */
  attemptEnded(afterSeq: number): void {
    this.boundaries.add(afterSeq);
  }

  /** Any frame by seq, read through the reader given (lazy; cached). */
  decodeAt(seq: number): DecodeOutcome | undefined {
    return this.cache?.decodeAt(seq);
  }

  private choose(guess: ProtocolGuess, isGuess: boolean): void {
    this.settled = true;
    const settings: DecoderSettings = guess.engineVersion !== undefined ? { ...this.settings, engineVersion: guess.engineVersion } : this.settings;
    this.active = { protocol: guess.protocol, guess: isGuess, reason: guess.reason };
    this.cache = this.cacheOf(guess.protocol, () => createDecoder(guess.protocol, { ...settings, connection: { ...this.signs } }));
    this.onChosen(this.active);
  }

  /** A cache reading the rows' checkpoints of its protocol, if any (read only: it offers none, having no reader). */
  private cacheOf(protocol: DecoderName, makeDecoder: () => StreamDecoder): FrameDecodeCache {
    const checkpoints = this.readFrame ? undefined : this.rowCheckpoints(protocol);
    return new FrameDecodeCache(makeDecoder, this.readFrame, undefined, undefined, undefined, checkpoints, this.boundaries);
  }
}

/** "Socket.IO (a guess: the URL has EIO=4)". */
export function describeDecoding(active: ActiveDecoding): string {
  return `${DECODER_TITLES[active.protocol]} (${active.guess ? `a guess: ${active.reason}` : active.reason})`;
}
