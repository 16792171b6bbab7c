/**
 * One session's decoding for the app (the engine's `frames:decode` and decoded search): the
 * user's choice (auto, none or a protocol, per tab or profile), the protocol it leads to and a
 * lazy FrameDecodeCache over the session's store. With `auto` the protocol is recognised from
 * the upgrade (the subprotocol the server chose, the request target), else from the first data
 * messages in the store; until RECOGNITION_FRAMES of them have come without a sign it looks
 * again on the next request (a live session's first messages may not be there yet).
 */
import type { AttemptRecord } from '../../shared/attempts';
import type { HandshakeStep } from '../../shared/model';
import { AttemptBoundaries } from './attempt-boundaries';
import { DECODER_TITLES, type DecodeOutcome, type DecoderName, type StreamDecoder } from './decoded-frame';
import { createDecoder, type DecoderSettings } from './decoder-registry';
import { DecodedKeyIndex, type FieldName } from './decoded-key-index';
import { DecoderCheckpoints } from './decoder-checkpoints';
import { STATELESS_DECODERS } from './decoder-snapshot';
import { DEFAULT_CACHE_ENTRIES, FrameDecodeCache, type FrameReader } from './frame-decode-cache';
import { InOrderMatchWalk, type OutcomeTest } from './in-order-match-walk';
import { PrefilterScan, type ScannableFrames } from './prefilter-scan';
import { PrefilterWalk, WalkPosition } from './prefilter-walk';
import { queryPrefilter } from './query-prefilter';
import { PROOFS_IN_ANY_STATE, queryMatchProof } from './query-match-proof';
import { rawPrefilter, type RawPrefilter } from './raw-prefilter';
import { statefulPrefilter } from './stateful-prefilter';
import { RECOGNITION_FRAMES, recogniseFirstFrame, recogniseSubprotocol, recogniseUrl, type ProtocolGuess } from './recognise-protocol';
import type { ActiveDecoding } from './session-decoding';
import { SessionEnd } from './session-end';
import { storeFrameReader } from './store-frame-reader';
import type { FrameScanView, StoredFrame } from '../session/frame-store';
import type { DecodedTest } from '../search/compile-filter';
import type { DecodedQuery } from '../../shared/decoded-query';

/** What a query or conversation search also asks (a match has it): its prefilter comes from these. */
export interface MatchNarrowing {
  /** Decoded fields the search asks for. */
  readonly wanted?: Partial<Record<FieldName, string>>;
  readonly query?: DecodedQuery;
  /**
   * The search's test is the query alone (no decoded field, no conversation): a frame its
   * proof (match-proof.ts) says matches is marked matched without decoding it.
   */
  readonly onlyQuery?: boolean;
}

/** The rule of a scan that only proves matches: it passes nothing over. */
const PASSES_NOTHING: RawPrefilter = { kind: 'self-contained', needles: [], stateless: true, selfContained: () => false };

export type StoreChoice = 'auto' | 'none' | DecoderName;

/** A decoded-field test (undefined: not decoded yet) and the walk to a search's first frame (true once there). */
export type FieldMatcher = ((seq: number) => boolean | undefined) & { walkTowards: (seq: number, frames: number) => boolean };

/** Walks of stateful prefilters kept per session (each up to a byte per stored frame). */
const STATEFUL_WALKS = 8;
/** In-order walks of query and conversation searches kept per session (each up to two bytes per stored frame). */
const MATCH_WALKS = 8;
/**
 * Frames the exact walk reads per turn of the event loop while catching up with a far frame
 * answered without the frames before it (frame-decode-cache.ts): about 10–40 ms a turn.
 */
export const CATCH_UP_SLICE = 4096;

/** What a StoreDecoding reads of its session. */
export interface DecodableSession {
  readonly url: string;
  readonly frames: {
    entry(seq: number): StoredFrame | undefined;
    readonly firstSeq: number;
    readonly lastSeq: number;
    /** The newest frame's seq, stored or not, and whether the session ended (FrameStore): session-end.ts. */
    readonly lastAssignedSeq?: number;
    readonly sealed?: boolean;
    /** The store's internals for a synchronous scan (FrameStore): without it, no raw prefilter. */
    scanView?(): FrameScanView;
  };
  handshakeSteps(): readonly HandshakeStep[];
  /** A reconnecting connection's ended attempts: each next one decodes afresh (attempt-boundaries.ts). */
  attempts?(): readonly AttemptRecord[];
}

function upgradeOf(steps: readonly HandshakeStep[]): { target?: string; subprotocol?: string } {
  const step = steps.find((s) => s.leg === 'upgrade' && s.ok);
  if (!step) return {};
  const target = step.request?.startLine.split(' ')[1];
  const subprotocol = step.response?.headers.find(([name]) => name.toLowerCase() === 'sec-websocket-protocol')?.[1]?.trim();
  return { ...(target !== undefined ? { target } : {}), ...(subprotocol ? { subprotocol } : {}) };
}

export class StoreDecoding {
  private active: ActiveDecoding | undefined;
  private cache: FrameDecodeCache | undefined;
  /** Every decoded frame's fields, compact, for decoded-field searches (decoded-key-index.ts). */
  private index: DecodedKeyIndex | undefined;
  private reader: FrameReader | undefined;
  private makeDecoder: (() => StreamDecoder) | undefined;
  /** The prefiltered searches' in-order walk (prefilter-walk.ts). */
  private walkPosition = new WalkPosition();
  /** Stateful prefilters' walks, one per wanted value (the last STATEFUL_WALKS kept). */
  private readonly statefulWalks = new Map<string, WalkPosition>();
  /** Query and conversation searches' walks, one per search (the last MATCH_WALKS kept). */
  private readonly matchWalks = new Map<string, InOrderMatchWalk>();
  /** auto gave up (no sign in the first data messages), or the choice is none. */
  private settled: boolean;
  /**
   * The decoder's state every so many frames, left by the cache's in-order walks and the
   * searches' (prefilter-walk.ts, in-order-match-walk.ts; decoder-checkpoints.ts).
   */
  checkpoints: DecoderCheckpoints | undefined;
  /** A catch-up turn is scheduled. */
  private catchingUp = false;
  /**
   * Which frames end their direction once the session ended: their answers are picked as they
   * are read (session-end.ts), so no cache or walk keeps a "so far" past the end.
   */
  private readonly end: SessionEnd;
  /** Where the connection's attempts begin: every walk's decoder starts afresh there. */
  private readonly boundaries: AttemptBoundaries;
  /** Replaced or its session gone (dispose): no more catch-up turns. */
  private disposed = false;

  constructor(
    readonly choice: StoreChoice,
    private readonly session: DecodableSession,
    /** What a decoder needs beyond its name (a Protocol Buffers schema chosen in the app). */
    private readonly settings: DecoderSettings = {},
    /** Decoded answers kept (frame-decode-cache.ts). */
    private readonly cacheEntries = DEFAULT_CACHE_ENTRIES,
    /** Runs a catch-up turn after the current event (tests run them by hand). */
    private readonly schedule: (turn: () => void) => void = (turn) => void setImmediate(turn),
  ) {
    this.settled = choice === 'none';
    this.boundaries = new AttemptBoundaries(() => session.attempts?.() ?? []);
    this.end = new SessionEnd(session.frames, this.boundaries);
    if (choice !== 'auto' && choice !== 'none') {
      this.use({ protocol: choice, reason: 'chosen for this tab', ...this.urlSettings(choice) }, false);
    }
  }

  /** The protocol in use, recognising it first if need be. */
  decoding(): ActiveDecoding | undefined {
    if (!this.active && !this.settled) this.recognise();
    return this.active;
  }

  /** The frame's decoding (undefined: nothing decodes it: no protocol, a control frame, not stored). */
  decodeAt(seq: number): DecodeOutcome | undefined {
    if (!this.decoding()) return undefined;
    const outcome = this.cache?.decodeAt(seq);
    if (this.cache?.lagging) this.catchUp(this.cache);
    return this.end.settle(seq, outcome);
  }

  /** The first frame of the reconnect attempt `seq` is in (undefined: the first): an answer's request is looked for within it (request-before.ts). */
  attemptStartAtOrBefore(seq: number): number | undefined {
    return this.boundaries.attemptStartAtOrBefore(seq);
  }

  /** The frame's decoding, exact however far the walk must go (FrameDecodeCache.decodeExactly: a search's predicate, in its time slices). */
  decodeExactly(seq: number): DecodeOutcome | undefined {
    if (!this.decoding()) return undefined;
    return this.end.settle(seq, this.cache?.decodeExactly(seq));
  }

  /**
   * A far frame was answered without the frames before it: the exact walk goes there in slices
   * of CATCH_UP_SLICE frames, one per turn of the event loop, so commands are answered between
   * them and the frame decodes exactly when asked again (the detail pane, a row scrolled back to).
   */
  private catchUp(cache: FrameDecodeCache): void {
    if (this.catchingUp) return;
    this.catchingUp = true;
    const turn = (): void => {
      if (!this.disposed && cache === this.cache && cache.catchUp(CATCH_UP_SLICE)) this.schedule(turn);
      else this.catchingUp = false;
    };
    this.schedule(turn);
  }

  /**
   * The checkpoints its rows decode from, when they decode as `protocol` (an export decoding as
   * the same protocol takes their state after evicted frames: export-decoding.ts); undefined for
   * another protocol, none recognised yet, or once disposed.
   */
  checkpointsFor(protocol: DecoderName): DecoderCheckpoints | undefined {
    return !this.disposed && this.active?.protocol === protocol ? this.checkpoints : undefined;
  }

  /**
   * Nothing will ask this decoding again (its session is gone, or another choice replaced it):
   * a catch-up under way stops at its next turn instead of reading the rest of the store. A
   * search still running with it stops at its next slice, cancelled (DecodeCommands.predicate's
   * `stale`, frame-search.ts).
   */
  dispose(): void {
    this.disposed = true;
    // Its checkpoints' bytes go back to the budget of every session's (checkpoint-budget.ts).
    this.checkpoints?.dispose();
  }

  /**
   * A decoded-field test from the index: true/false for a frame decoded before, undefined for one
   * not decoded yet (decode it with decodeExactly, which indexes it). `walkTowards` takes the
   * walk that answers (the prefilter's, else the cache's) to a search's first frame in slices,
   * so a backward search's first frames are decoded in order, not from far away.
   */
  fieldMatcher(wanted: Partial<Record<FieldName, string>>): FieldMatcher {
    const active = this.decoding();
    const index = this.index;
    if (!active || !index) return Object.assign(() => undefined, { walkTowards: () => true });
    // The answers' fields as decoded (an answer that changes at the session's end keeps its fields: session-end.ts).
    const known = index.matcher(wanted);
    const cache = this.cache;
    const cacheWalk = (seq: number, frames: number): boolean => cache?.walkTowards(seq, frames) ?? true;
    // Frames not decoded yet: the raw prefilter passes over those that cannot match (raw-prefilter.ts).
    const prefilter = rawPrefilter(active.protocol, wanted) ?? statefulPrefilter(active.protocol, wanted);
    const scannable = this.scannable();
    if (!prefilter || !scannable || !this.makeDecoder || !this.reader) return Object.assign(known, { walkTowards: cacheWalk });
    const position = prefilter.kind === 'stateful' ? this.statefulWalk(prefilter.key) : this.walkPosition;
    const walk = new PrefilterWalk(scannable, prefilter, position, this.makeDecoder, index, this.reader, this.searchCheckpoints(active), this.boundaries);
    // After the walk decoded the frame in order, the index answers. A frame further ahead than one
    // verdict walks (a caller that did not walkTowards it first): the walk goes on to it, so it
    // is answered in order, with the prefilter, never decoded from far away.
    const matcher = (seq: number): boolean | undefined => {
      const answer = known(seq) ?? walk.verdict(seq) ?? known(seq);
      if (answer !== undefined || seq < position.next) return answer;
      walk.walkTowards(seq, Infinity);
      return walk.verdict(seq) ?? known(seq);
    };
    return Object.assign(matcher, { walkTowards: (seq: number, frames: number) => walk.walkTowards(seq, frames) });
  }

  /**
   * A query or conversation search as decoding every frame in order answers it
   * (in-order-match-walk.ts; frames a prefilter rules out are passed over: matchScan), its walk
   * kept under `key` for the next page or search.
   */
  inOrderMatcher(key: string, test: OutcomeTest, narrowing: MatchNarrowing = {}): DecodedTest {
    const active = this.decoding();
    if (!active || !this.makeDecoder || !this.reader) return () => false;
    let walk = this.matchWalks.get(key);
    if (walk) this.matchWalks.delete(key);
    else walk = new InOrderMatchWalk(this.makeDecoder, this.reader, this.session.frames, test, this.matchScan(active.protocol, narrowing), this.searchCheckpoints(active), this.boundaries);
    this.matchWalks.set(key, walk);
    for (const oldest of this.matchWalks.keys()) {
      if (this.matchWalks.size <= MATCH_WALKS) break;
      this.matchWalks.delete(oldest);
    }
    const found = walk;
    const reader = this.reader;
    const cache = this.cache;
    // The walk tested what decoding in order answered then; a frame that ends its direction of an
    // ended session is tested on its answer as it stands now (decoded in order by the cache).
    const matches = (seq: number): boolean => {
      const frame = this.end.endsItsDirection(seq) ? reader(seq) : undefined;
      const outcome = frame ? this.end.settle(seq, cache?.decodeExactly(seq)) : undefined;
      return frame && outcome ? test(outcome, frame) : found.matches(seq);
    };
    return Object.assign(matches, { walkTowards: (seq: number, frames: number) => found.walkTowards(seq, frames) });
  }

  /** The checkpoints a search's in-order walk offers its decoder to (none for a protocol that keeps nothing across messages). */
  private searchCheckpoints(active: ActiveDecoding): DecoderCheckpoints | undefined {
    return STATELESS_DECODERS.has(active.protocol) ? undefined : this.checkpoints;
  }

  /**
   * What lets a query or conversation search's walk pass over frames: the prefilter of the
   * decoded fields it also asks for (a match has them), else its query's (query-prefilter.ts);
   * and, for a query alone, the proof that marks frames matched undecoded (query-match-proof.ts).
   */
  private matchScan(protocol: DecoderName, narrowing: MatchNarrowing): PrefilterScan | undefined {
    const scannable = this.scannable();
    if (!scannable) return undefined;
    const wanted = narrowing.wanted ?? {};
    const byFields = Object.values(wanted).some((v) => v !== undefined) ? (rawPrefilter(protocol, wanted) ?? statefulPrefilter(protocol, wanted)) : undefined;
    const schema = this.settings.protobuf;
    const rules = (this.settings.protobufRules?.length ?? 0) > 0;
    const context = { protobuf: rules || (schema && !schema.messageType) ? ('rules' as const) : (schema?.messageType ?? ('none' as const)) };
    const prefilter = byFields ?? (narrowing.query ? queryPrefilter(protocol, narrowing.query, context) : undefined);
    const proof = narrowing.onlyQuery === true && narrowing.query ? queryMatchProof(protocol, narrowing.query, context.protobuf) : undefined;
    if (proof) return new PrefilterScan(scannable, prefilter ?? PASSES_NOTHING, proof, STATELESS_DECODERS.has(protocol) || PROOFS_IN_ANY_STATE.has(protocol));
    return prefilter ? new PrefilterScan(scannable, prefilter) : undefined;
  }

  /** The store as a prefilter reads it (its scan view), or undefined when it has none. */
  private scannable(): ScannableFrames | undefined {
    const frames = this.session.frames;
    const scanView = frames.scanView;
    if (!scanView) return undefined;
    return {
      get firstSeq() {
        return frames.firstSeq;
      },
      get lastSeq() {
        return frames.lastSeq;
      },
      scanView: () => scanView.call(frames),
    };
  }

  /** The walk for a stateful prefilter's key, the least recently used dropped past STATEFUL_WALKS. */
  private statefulWalk(key: string): WalkPosition {
    let position = this.statefulWalks.get(key);
    if (position) this.statefulWalks.delete(key);
    else position = new WalkPosition();
    this.statefulWalks.set(key, position);
    for (const oldest of this.statefulWalks.keys()) {
      if (this.statefulWalks.size <= STATEFUL_WALKS) break;
      this.statefulWalks.delete(oldest);
    }
    return position;
  }

  private urlSettings(protocol: DecoderName): { engineVersion?: 3 | 4 } {
    if (protocol !== 'socketio') return {};
    const { target } = upgradeOf(this.session.handshakeSteps());
    const version = recogniseUrl(target ?? this.session.url)?.engineVersion;
    return version !== undefined ? { engineVersion: version } : {};
  }

  private recognise(): void {
    const { target, subprotocol } = upgradeOf(this.session.handshakeSteps());
    const fromHandshake = recogniseSubprotocol(subprotocol) ?? recogniseUrl(target ?? this.session.url);
    if (fromHandshake) {
      this.use(fromHandshake, true);
      return;
    }
    const frames = this.session.frames;
    let looked = 0;
    for (let seq = Math.max(1, frames.firstSeq); seq <= frames.lastSeq && looked < RECOGNITION_FRAMES; seq++) {
      const stored = frames.entry(seq);
      if (!stored || (stored.opcode !== 'text' && stored.opcode !== 'binary')) continue;
      looked++;
      const guess = recogniseFirstFrame(stored.opcode, stored.payload);
      if (guess) {
        this.use({ ...guess, ...this.urlSettings(guess.protocol) }, true);
        return;
      }
    }
    if (looked >= RECOGNITION_FRAMES) this.settled = true;
  }

  private use(guess: ProtocolGuess, isGuess: boolean): void {
    this.settled = true;
    const settings: DecoderSettings = guess.engineVersion !== undefined ? { ...this.settings, engineVersion: guess.engineVersion } : this.settings;
    this.active = { protocol: guess.protocol, guess: isGuess, reason: guess.reason };
    this.index = new DecodedKeyIndex(() => this.session.frames.firstSeq);
    this.reader = storeFrameReader(this.session.frames);
    // The connection's URL and subprotocol as the decoder is made (Protocol Buffers rules may ask).
    this.makeDecoder = () => createDecoder(guess.protocol, { ...settings, connection: this.connectionSigns() });
    const frames = this.session.frames;
    this.checkpoints?.dispose();
    this.checkpoints = new DecoderCheckpoints(() => frames.firstSeq);
    this.cache = new FrameDecodeCache(this.makeDecoder, this.reader, this.cacheEntries, this.index, () => frames.firstSeq, this.checkpoints, this.boundaries);
  }

  private connectionSigns(): { url: string; subprotocol?: string } {
    const { subprotocol } = upgradeOf(this.session.handshakeSteps());
    return { url: this.session.url, ...(subprotocol !== undefined ? { subprotocol } : {}) };
  }

  /** "Socket.IO". */
  static title(protocol: DecoderName): string {
    return DECODER_TITLES[protocol];
  }
}
