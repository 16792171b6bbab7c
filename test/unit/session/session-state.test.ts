import { describe, expect, it } from 'vitest';
import { SESSION_STATES, type SessionState } from '../../../src-main/shared/model';
import {
  IllegalTransitionError,
  SessionStateMachine,
  canTransition,
  isConnectingState,
  isFinalState,
} from '../../../src-main/core/session/session-state';

function walk(path: SessionState[]): SessionStateMachine {
  const machine = new SessionStateMachine();
  for (const state of path) machine.transition(state);
  return machine;
}

describe('SessionStateMachine', () => {
  it.each<[string, SessionState[]]>([
    ['direct ws://', ['resolving-proxy', 'connecting', 'upgrading', 'open', 'closing', 'closed']],
    ['direct wss://', ['resolving-proxy', 'connecting', 'tls', 'upgrading', 'open', 'closing', 'closed']],
    ['http proxy, ws://', ['resolving-proxy', 'connecting', 'tunneling', 'upgrading', 'open', 'closed']],
    ['https proxy, wss://', ['resolving-proxy', 'connecting', 'proxy-tls', 'tunneling', 'tls', 'upgrading', 'open']],
    ['PAC fallback to the next proxy', ['resolving-proxy', 'connecting', 'connecting', 'tunneling', 'upgrading']],
    ['fallback after the proxy TLS', ['resolving-proxy', 'connecting', 'proxy-tls', 'connecting', 'upgrading']],
    ['close during connect', ['resolving-proxy', 'connecting', 'closed']],
    ['failure at upgrade', ['resolving-proxy', 'connecting', 'upgrading', 'failed']],
    ['failure after open', ['resolving-proxy', 'connecting', 'upgrading', 'open', 'failed']],
    ['failure while closing', ['resolving-proxy', 'connecting', 'upgrading', 'open', 'closing', 'failed']],
    ['close before start', ['closed']],
  ])('allows %s', (_name, path) => {
    expect(walk(path).state).toBe(path[path.length - 1]);
  });

  it.each<[SessionState[], SessionState]>([
    [[], 'open'],
    [['resolving-proxy'], 'upgrading'],
    [['resolving-proxy', 'connecting', 'upgrading'], 'closing'],
    [['resolving-proxy', 'connecting', 'upgrading', 'open'], 'connecting'],
    [['resolving-proxy', 'connecting', 'tls'], 'tunneling'],
    [['closed'], 'open'],
    [['failed'], 'closed'],
    [['resolving-proxy', 'connecting', 'upgrading', 'open', 'closing', 'closed'], 'closed'],
  ])('throws after %j on → %s', (path, to) => {
    const machine = walk(path);
    const before = machine.state;
    expect(() => machine.transition(to)).toThrow(IllegalTransitionError);
    expect(machine.state).toBe(before);
  });

  it('reports the previous state', () => {
    const machine = new SessionStateMachine();
    expect(machine.transition('resolving-proxy')).toEqual({ previous: 'idle', state: 'resolving-proxy' });
  });

  it('lets every non-final state fail, and nothing leave a final state', () => {
    for (const state of SESSION_STATES) {
      if (isFinalState(state)) {
        for (const to of SESSION_STATES) expect(canTransition(state, to)).toBe(false);
      } else {
        expect(canTransition(state, 'failed')).toBe(true);
      }
    }
  });

  it('lets a close abort every state before open', () => {
    for (const state of SESSION_STATES.filter(isConnectingState)) expect(canTransition(state, 'closed')).toBe(true);
    expect(isConnectingState('open')).toBe(false);
  });
});
