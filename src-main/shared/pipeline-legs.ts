/**
 * The pipeline of a session in one table: every state a session passes through, and for each
 * state that runs a leg of the handshake that leg's step name, its error stage on a direct and
 * on a proxied route, its label, and what may follow it. The engine's state machine, the error
 * stage of a failure "where it happened", the renderer's timeline and state badge, the HAR
 * timings and the CLI's transcript all read this table: nothing else maps one vocabulary
 * (`SessionState`, `ErrorStage`, `HandshakeLegName`) onto another.
 *
 * Adding a leg is an edit of this file (its name in `HANDSHAKE_LEGS`, its state in
 * `SESSION_STATES`, its row in `PIPELINE`) and the code that runs it (docs/ARCHITECTURE.md,
 * "How to add a leg"). The compiler asks for the row (the table is keyed by state) and
 * test/unit/shared/pipeline-legs.test.ts checks that every state, leg and stage is placed.
 * model.ts builds the contract's enums from the two lists.
 */
import type { ErrorStage } from './errors';

/** The legs of the handshake, in the order they happen (`HandshakeStep.leg`). */
export const HANDSHAKE_LEGS = ['resolve', 'tcp', 'proxy-tls', 'proxy', 'tls', 'upgrade'] as const;

/** Every state of a session, in pipeline order; `PIPELINE` has a row for each. */
export const SESSION_STATES = [
  'idle',
  'resolving-proxy',
  'connecting',
  'proxy-tls',
  'tunneling',
  'tls',
  'upgrading',
  'open',
  'closing',
  'closed',
  'failed',
] as const;

/** The same as model.ts's `HandshakeLegName` and `SessionState` (built from these lists). */
type HandshakeLegName = (typeof HANDSHAKE_LEGS)[number];
type SessionState = (typeof SESSION_STATES)[number];

/**
 * Where a session stands: before anything ran (`idle`), running a leg of the handshake
 * (`leg`), open, closing, or ended (closed or failed).
 */
export type PipelinePhase = 'idle' | 'leg' | 'open' | 'closing' | 'ended';

/** Which error stage a failure in this state has, by the kind of route being tried. */
export interface RouteStages {
  /** Straight to the server. Absent for a leg that runs only through a proxy. */
  direct?: ErrorStage;
  /** Through a proxy. Absent for a leg that runs only on a direct route. */
  proxied?: ErrorStage;
}

/** How a step of the leg is shown: its own line, a TLS summary, or a request and its answer. */
export type StepDisplay = 'decision' | 'connection' | 'tls' | 'exchange';

interface RowBase {
  phase: PipelinePhase;
  /** The state in words, for a badge or a status line (never "open" unless it is). */
  word: string;
  /** A failure in this state: its stage. */
  stages: RouteStages;
  /** The states that may follow (besides `closed` and `failed`, which may follow any but an end). */
  next: readonly SessionState[];
}

export interface LegRow extends RowBase {
  phase: 'leg';
  /** The handshake step this leg records (`HandshakeStep.leg`). */
  leg: HandshakeLegName;
  /** The leg's name in a timeline row or a transcript. */
  label: string;
  /** Through a proxy, whether the other end of this leg is the proxy itself (not the server). */
  toProxy: boolean;
  display: StepDisplay;
  /** The HAR timing the leg's time counts in (har-export.ts); TLS counts in `ssl` too. */
  har: 'blocked' | 'connect' | 'wait';
  /** A TLS handshake (HAR's `ssl`). */
  tls: boolean;
}

export interface LifecycleRow extends RowBase {
  phase: Exclude<PipelinePhase, 'leg'>;
  /** Further stages a failure in this state may have (a protocol violation after open). */
  alsoStages?: readonly ErrorStage[];
}

export type PipelineRow = LegRow | LifecycleRow;

/** The table, in the order a session passes through it. */
export const PIPELINE: { readonly [S in SessionState]: PipelineRow } = {
  // A failure before the first leg (a bad proxy setting) belongs to the first leg.
  idle: { phase: 'idle', word: 'idle', stages: { direct: 'resolve', proxied: 'resolve' }, next: ['resolving-proxy'] },
  'resolving-proxy': {
    phase: 'leg',
    leg: 'resolve',
    label: 'Resolve proxy',
    word: 'choosing proxy…',
    stages: { direct: 'resolve', proxied: 'resolve' },
    toProxy: false,
    display: 'decision',
    har: 'blocked',
    tls: false,
    next: ['connecting'],
  },
  // Re-entered when a PAC list's next route is tried (PROXY a; PROXY b; DIRECT).
  connecting: {
    phase: 'leg',
    leg: 'tcp',
    label: 'TCP',
    word: 'connecting…',
    stages: { direct: 'connect', proxied: 'proxy-connect' },
    toProxy: true,
    display: 'connection',
    har: 'connect',
    tls: false,
    next: ['connecting', 'proxy-tls', 'tunneling', 'tls', 'upgrading'],
  },
  'proxy-tls': {
    phase: 'leg',
    leg: 'proxy-tls',
    label: 'Proxy TLS',
    word: 'TLS to proxy…',
    stages: { proxied: 'proxy-tls' },
    toProxy: true,
    display: 'tls',
    har: 'connect',
    tls: true,
    next: ['connecting', 'tunneling'],
  },
  // CONNECT (each sign-in round is a step of its own) or the SOCKS request.
  tunneling: {
    phase: 'leg',
    leg: 'proxy',
    label: 'CONNECT',
    word: 'tunnelling…',
    stages: { proxied: 'tunnel' },
    toProxy: true,
    display: 'exchange',
    har: 'connect',
    tls: false,
    next: ['connecting', 'tls', 'upgrading'],
  },
  tls: {
    phase: 'leg',
    leg: 'tls',
    label: 'TLS',
    word: 'TLS handshake…',
    stages: { direct: 'tls', proxied: 'tls' },
    toProxy: false,
    display: 'tls',
    har: 'connect',
    tls: true,
    next: ['upgrading'],
  },
  upgrading: {
    phase: 'leg',
    leg: 'upgrade',
    label: 'Upgrade',
    word: 'upgrading…',
    stages: { direct: 'upgrade', proxied: 'upgrade' },
    toProxy: false,
    display: 'exchange',
    har: 'wait',
    tls: false,
    next: ['open'],
  },
  open: {
    phase: 'open',
    word: 'open',
    stages: { direct: 'transport', proxied: 'transport' },
    alsoStages: ['protocol'],
    next: ['closing'],
  },
  closing: { phase: 'closing', word: 'closing…', stages: { direct: 'transport', proxied: 'transport' }, next: [] },
  // Nothing fails after the end; the stage is what the last one would have been.
  closed: { phase: 'ended', word: 'closed', stages: { direct: 'transport', proxied: 'transport' }, next: [] },
  failed: { phase: 'ended', word: 'failed', stages: { direct: 'transport', proxied: 'transport' }, next: [] },
};

const LEG_ROWS: readonly (readonly [SessionState, LegRow])[] = SESSION_STATES.flatMap((state) => {
  const row = PIPELINE[state];
  return row.phase === 'leg' ? [[state, row] as const] : [];
});

const STATE_OF_LEG = new Map<HandshakeLegName, SessionState>(LEG_ROWS.map(([state, row]) => [row.leg, state]));
const ROW_OF_LEG = new Map<HandshakeLegName, LegRow>(LEG_ROWS.map(([, row]) => [row.leg, row]));
const LEG_OF_STAGE = new Map<ErrorStage, HandshakeLegName>(
  LEG_ROWS.flatMap(([, row]) => [row.stages.direct, row.stages.proxied].flatMap((stage) => (stage ? [[stage, row.leg] as const] : []))),
);

/** The row of a leg (every leg has one: test/unit/shared/pipeline-legs.test.ts). */
export function legRow(leg: HandshakeLegName): LegRow {
  const row = ROW_OF_LEG.get(leg);
  if (!row) throw new Error(`the pipeline table has no row for the leg ${leg}`);
  return row;
}

/** The state a session is in while `leg` runs. */
export function stateOfLeg(leg: HandshakeLegName): SessionState {
  const state = STATE_OF_LEG.get(leg);
  if (!state) throw new Error(`the pipeline table has no row for the leg ${leg}`);
  return state;
}

/** The leg a state runs; null for idle, open, closing and the ends. */
export function legOfState(state: SessionState): HandshakeLegName | null {
  const row = PIPELINE[state];
  return row.phase === 'leg' ? row.leg : null;
}

/** The leg an error's stage points at; null for failures after open (protocol, transport). */
export function legOfStage(stage: ErrorStage): HandshakeLegName | null {
  return LEG_OF_STAGE.get(stage) ?? null;
}

/**
 * Where a failure "at whatever was running" belongs: the stage of the state's row for the
 * kind of route being tried (a leg that runs on one kind only has that one stage).
 */
export function stageOfState(state: SessionState, proxied: boolean): ErrorStage {
  const { direct, proxied: viaProxy } = PIPELINE[state].stages;
  const stage = proxied ? (viaProxy ?? direct) : (direct ?? viaProxy);
  // Every row has at least one stage (the table test checks it).
  if (!stage) throw new Error(`the pipeline table gives the state ${state} no error stage`);
  return stage;
}

/** The timeline's and transcript's name for a leg. */
export function legLabel(leg: HandshakeLegName): string {
  return legRow(leg).label;
}

/** Before open, where a close aborts the attempt: idle and every leg. */
export function isConnectingState(state: SessionState): boolean {
  const { phase } = PIPELINE[state];
  return phase === 'idle' || phase === 'leg';
}

/** Started and not ended: the user can stop it (Disconnect). */
export function isActiveState(state: SessionState): boolean {
  const { phase } = PIPELINE[state];
  return phase === 'leg' || phase === 'open' || phase === 'closing';
}

/** Working towards open or closed (drawn with a spinner). */
export function isBusyState(state: SessionState): boolean {
  const { phase } = PIPELINE[state];
  return phase === 'leg' || phase === 'closing';
}

/** Terminal states: nothing follows them. */
export function isFinalState(state: SessionState): boolean {
  return PIPELINE[state].phase === 'ended';
}

/** The states that may follow `from`: its row's `next`, and closed and failed unless it ended. */
export function nextStates(from: SessionState): readonly SessionState[] {
  const row = PIPELINE[from];
  return row.phase === 'ended' ? [] : [...row.next, 'closed', 'failed'];
}

/** The state's word for a badge or status line. */
export function stateWord(state: SessionState): string {
  return PIPELINE[state].word;
}
