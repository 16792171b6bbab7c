import { describe, expect, it } from 'vitest';
import { ERROR_STAGES, type ErrorStage } from '../../../src-main/shared/errors';
import { handshakeLegSchema, sessionStateSchema, type SessionState } from '../../../src-main/shared/model';
import {
  HANDSHAKE_LEGS,
  PIPELINE,
  SESSION_STATES,
  isActiveState,
  isBusyState,
  isConnectingState,
  isFinalState,
  legLabel,
  legOfStage,
  legOfState,
  legRow,
  nextStates,
  stageOfState,
  stateOfLeg,
} from '../../../src-main/shared/pipeline-legs';

const legRows = SESSION_STATES.flatMap((state) => {
  const row = PIPELINE[state];
  return row.phase === 'leg' ? [{ state, row }] : [];
});

describe('the pipeline table is total', () => {
  it('has one row per session state, and no other', () => {
    expect(Object.keys(PIPELINE).sort()).toEqual([...SESSION_STATES].sort());
  });

  it('runs every handshake leg in exactly one state, in the order the legs are listed', () => {
    expect(legRows.map(({ row }) => row.leg)).toEqual([...HANDSHAKE_LEGS]);
  });

  it('places every error stage, and no stage in two legs', () => {
    const placed = new Set<ErrorStage>();
    for (const state of SESSION_STATES) {
      const row = PIPELINE[state];
      const stages = [row.stages.direct, row.stages.proxied, ...(row.phase === 'leg' ? [] : (row.alsoStages ?? []))];
      expect(stages.filter((stage) => stage !== undefined), `${state} has an error stage`).not.toHaveLength(0);
      for (const stage of stages) if (stage) placed.add(stage);
    }
    expect([...placed].sort()).toEqual([...ERROR_STAGES].sort());
    const legOf = new Map<ErrorStage, string>();
    for (const { row } of legRows) {
      for (const stage of [row.stages.direct, row.stages.proxied]) {
        if (!stage) continue;
        expect(legOf.get(stage) ?? row.leg, `stage ${stage}`).toBe(row.leg);
        legOf.set(stage, row.leg);
      }
    }
  });

  it('lets only states of the table follow, and nothing follow an end', () => {
    for (const state of SESSION_STATES) {
      for (const next of PIPELINE[state].next) expect(SESSION_STATES).toContain(next);
      if (PIPELINE[state].phase === 'ended') expect(PIPELINE[state].next).toEqual([]);
    }
  });

  it('names every leg with a label and a word that does not say "open" before it is', () => {
    for (const { row } of legRows) {
      expect(row.label).not.toBe('');
      expect(row.word).not.toMatch(/open/i);
    }
  });
});

describe('what is derived from the table agrees with it', () => {
  it('maps legs, states and stages both ways', () => {
    for (const { state, row } of legRows) {
      expect(stateOfLeg(row.leg)).toBe(state);
      expect(legOfState(state)).toBe(row.leg);
      expect(legRow(row.leg)).toBe(row);
      expect(legLabel(row.leg)).toBe(row.label);
      if (row.stages.direct) expect(legOfStage(row.stages.direct)).toBe(row.leg);
      if (row.stages.proxied) expect(legOfStage(row.stages.proxied)).toBe(row.leg);
    }
    for (const state of SESSION_STATES) if (PIPELINE[state].phase !== 'leg') expect(legOfState(state)).toBeNull();
    expect(legOfStage('protocol')).toBeNull();
    expect(legOfStage('transport')).toBeNull();
  });

  it('classifies every state by its phase', () => {
    for (const state of SESSION_STATES) {
      const { phase } = PIPELINE[state];
      expect(isConnectingState(state), state).toBe(phase === 'idle' || phase === 'leg');
      expect(isActiveState(state), state).toBe(phase === 'leg' || phase === 'open' || phase === 'closing');
      expect(isBusyState(state), state).toBe(phase === 'leg' || phase === 'closing');
      expect(isFinalState(state), state).toBe(phase === 'ended');
      expect(nextStates(state)).toEqual(phase === 'ended' ? [] : [...PIPELINE[state].next, 'closed', 'failed']);
    }
  });

  // The mappings the table replaced (ws-session's stageOfState, handshake-legs.ts, state-label.ts), value for value.
  it('gives the stages, legs and classes the separate mappings gave', () => {
    const before: Record<SessionState, { direct: ErrorStage; proxied: ErrorStage; connecting: boolean; active: boolean; busy: boolean; leg: string | null }> = {
      idle: { direct: 'resolve', proxied: 'resolve', connecting: true, active: false, busy: false, leg: null },
      'resolving-proxy': { direct: 'resolve', proxied: 'resolve', connecting: true, active: true, busy: true, leg: 'resolve' },
      connecting: { direct: 'connect', proxied: 'proxy-connect', connecting: true, active: true, busy: true, leg: 'tcp' },
      'proxy-tls': { direct: 'proxy-tls', proxied: 'proxy-tls', connecting: true, active: true, busy: true, leg: 'proxy-tls' },
      tunneling: { direct: 'tunnel', proxied: 'tunnel', connecting: true, active: true, busy: true, leg: 'proxy' },
      tls: { direct: 'tls', proxied: 'tls', connecting: true, active: true, busy: true, leg: 'tls' },
      upgrading: { direct: 'upgrade', proxied: 'upgrade', connecting: true, active: true, busy: true, leg: 'upgrade' },
      open: { direct: 'transport', proxied: 'transport', connecting: false, active: true, busy: false, leg: null },
      closing: { direct: 'transport', proxied: 'transport', connecting: false, active: true, busy: true, leg: null },
      closed: { direct: 'transport', proxied: 'transport', connecting: false, active: false, busy: false, leg: null },
      failed: { direct: 'transport', proxied: 'transport', connecting: false, active: false, busy: false, leg: null },
    };
    for (const state of SESSION_STATES) {
      const expected = before[state];
      expect(
        {
          direct: stageOfState(state, false),
          proxied: stageOfState(state, true),
          connecting: isConnectingState(state),
          active: isActiveState(state),
          busy: isBusyState(state),
          leg: legOfState(state),
        },
        state,
      ).toEqual(expected);
    }
  });

  it('throws, naming the leg, for a leg the table does not hold', () => {
    // A leg name from a newer log, say: the type allows only known ones, the data may not.
    const unknown = JSON.parse('"h2-connect"') as Parameters<typeof legRow>[0];
    expect(() => legRow(unknown)).toThrow('no row for the leg h2-connect');
  });
});

describe('the contract is built from the table\'s lists', () => {
  it('takes its state and leg enums from them', () => {
    expect(sessionStateSchema.options).toEqual([...SESSION_STATES]);
    expect(handshakeLegSchema.options).toEqual([...HANDSHAKE_LEGS]);
  });
});
