// Session owners: the grace after a client goes, the retention of closed sessions, pins,
// adoption and the limits, all on fake time (ManualClock).
import { describe, expect, it } from 'vitest';
import { DEFAULT_SESSION_LIMITS, SessionOwners, type SessionLimits } from '../../../src-main/core/session/session-owners';
import { ManualClock } from '../../support/manual-clock';

function setup(limits: Partial<SessionLimits> = {}, hints?: { maxSessions?: string; maxSessionsPerClient?: string }) {
  const clock = new ManualClock();
  const disposed: string[] = [];
  const owners = new SessionOwners({
    clock,
    limits: { ...DEFAULT_SESSION_LIMITS, ...limits },
    ...(hints ? { limitHints: hints } : {}),
    disposeSession: (sessionId) => {
      disposed.push(sessionId);
      owners.remove(sessionId);
      return Promise.resolve();
    },
  });
  return { clock, owners, disposed };
}

describe('session owners: a client that goes away', () => {
  it('disposes its sessions once the grace has passed, not before', () => {
    const { clock, owners, disposed } = setup({ clientGraceMs: 60_000 });
    owners.connected('page-a');
    owners.add('s1', 'page-a');
    owners.add('s2', 'page-a', { pinned: true });
    owners.connected('page-b');
    owners.add('s3', 'page-b');
    owners.disconnected('page-a');
    clock.advance(59_999);
    expect(disposed).toEqual([]);
    clock.advance(1);
    // Pinned or not: the page that pinned it is gone.
    expect(disposed.sort()).toEqual(['s1', 's2']);
  });

  it('keeps them when the client connects again within the grace (a reload)', () => {
    const { clock, owners, disposed } = setup({ clientGraceMs: 60_000 });
    owners.connected('page-a');
    owners.add('s1', 'page-a');
    owners.disconnected('page-a');
    clock.advance(30_000);
    owners.connected('page-a');
    clock.advance(10 * 60_000);
    expect(disposed).toEqual([]);
    expect(clock.pending).toBe(0);
  });

  it('counts connections: a client with a second page open (a duplicated tab) is still there', () => {
    const { clock, owners, disposed } = setup({ clientGraceMs: 1000 });
    owners.connected('page-a');
    owners.connected('page-a');
    owners.add('s1', 'page-a');
    owners.disconnected('page-a');
    clock.advance(5000);
    expect(disposed).toEqual([]);
    owners.disconnected('page-a');
    clock.advance(1000);
    expect(disposed).toEqual(['s1']);
  });

  it('takes a grace given by the host (an Electron window: 0)', () => {
    const { clock, owners, disposed } = setup({ clientGraceMs: 60_000 });
    owners.connected('window-1');
    owners.add('s1', 'window-1');
    owners.disconnected('window-1', 0);
    clock.advance(0);
    expect(disposed).toEqual(['s1']);
  });

  it('reaps a session opened by a call answered after its client had gone', () => {
    const { clock, owners, disposed } = setup({ clientGraceMs: 1000 });
    owners.connected('page-a');
    owners.disconnected('page-a');
    owners.add('late', 'page-a');
    expect(owners.info('late', 'page-b')).toEqual({ owner: 'gone', pinned: false, disposeAt: clock.now() + 1000 });
    clock.advance(1000);
    expect(disposed).toEqual(['late']);
  });

  it('spares a session another client adopted during the grace', () => {
    const { clock, owners, disposed } = setup({ clientGraceMs: 1000 });
    owners.connected('page-a');
    owners.add('s1', 'page-a');
    owners.add('s2', 'page-a');
    owners.disconnected('page-a');
    owners.connected('page-b');
    owners.adopt('s1', 'page-b');
    expect(owners.info('s1', 'page-b')).toEqual({ owner: 'you', pinned: true });
    clock.advance(1000);
    expect(disposed).toEqual(['s2']);
  });

  it('never reaps the host’s own sessions (no client: the CLI)', () => {
    const { clock, owners, disposed } = setup({ clientGraceMs: 1000 });
    owners.add('cli', undefined, { pinned: true });
    clock.advance(24 * 3600_000);
    expect(disposed).toEqual([]);
    expect(owners.info('cli', undefined)).toEqual({ owner: 'none', pinned: true });
  });

  it('ignores a disconnect of a client it never saw', () => {
    const { clock, owners, disposed } = setup();
    owners.disconnected('stranger');
    clock.advance(24 * 3600_000);
    expect(disposed).toEqual([]);
    expect(clock.pending).toBe(0);
  });
});

describe('session owners: one disposal per session', () => {
  it('disposes a session once when its grace and its retention end together', () => {
    const clock = new ManualClock();
    const disposed: string[] = [];
    // The engine's disposal takes a while (the close handshake); the session is still listed meanwhile.
    const owners = new SessionOwners({
      clock,
      limits: { ...DEFAULT_SESSION_LIMITS, clientGraceMs: 1000, closedRetentionMs: 1000 },
      disposeSession: (sessionId) => {
        disposed.push(sessionId);
        return new Promise(() => undefined);
      },
    });
    owners.connected('page-a');
    owners.add('s1', 'page-a');
    owners.closed('s1');
    owners.disconnected('page-a');
    clock.advance(1000);
    expect(disposed).toEqual(['s1']);
  });
});

describe('session owners: closed sessions', () => {
  it('disposes a closed, unpinned session after the retention', () => {
    const { clock, owners, disposed } = setup({ closedRetentionMs: 600_000 });
    owners.connected('page-a');
    owners.add('s1', 'page-a');
    clock.advance(3600_000);
    expect(disposed).toEqual([]); // open sessions are never retired
    owners.closed('s1');
    expect(owners.info('s1', 'page-a')).toEqual({ owner: 'you', pinned: false, disposeAt: clock.now() + 600_000 });
    clock.advance(599_999);
    expect(disposed).toEqual([]);
    clock.advance(1);
    expect(disposed).toEqual(['s1']);
  });

  it('keeps a pinned one, and starts the retention when it is unpinned', () => {
    const { clock, owners, disposed } = setup({ closedRetentionMs: 1000 });
    owners.connected('page-a');
    owners.add('s1', 'page-a', { pinned: true });
    owners.closed('s1');
    clock.advance(10_000);
    expect(disposed).toEqual([]);
    owners.pin('s1', false);
    clock.advance(999);
    owners.pin('s1', true);
    clock.advance(10_000);
    expect(disposed).toEqual([]);
    owners.pin('s1', false);
    clock.advance(1000);
    expect(disposed).toEqual(['s1']);
  });

  it('starts the retention of an import at once (it is closed from the start)', () => {
    const { clock, owners, disposed } = setup({ closedRetentionMs: 1000 });
    owners.connected('page-a');
    owners.add('import', 'page-a', { closed: true });
    clock.advance(1000);
    expect(disposed).toEqual(['import']);
  });

  it('stops every timer on dispose', () => {
    const { clock, owners } = setup();
    owners.connected('page-a');
    owners.add('s1', 'page-a');
    owners.add('s2', 'page-a');
    owners.closed('s2');
    owners.disconnected('page-a');
    expect(clock.pending).toBe(2);
    owners.dispose();
    expect(clock.pending).toBe(0);
  });

  it('answers about an unknown session without failing', () => {
    const { owners } = setup();
    owners.closed('nope');
    owners.pin('nope', true);
    owners.adopt('nope', 'page-a');
    owners.remove('nope');
    expect(owners.info('nope', 'page-a')).toEqual({ owner: 'none', pinned: false });
  });
});

describe('session owners: limits', () => {
  it('refuses a client’s 101st session, naming the limit and how to change it', () => {
    const { owners } = setup({ maxSessionsPerClient: 100 }, { maxSessionsPerClient: 'the web host’s --max-sessions-per-client flag' });
    owners.connected('page-a');
    for (let i = 0; i < 100; i++) owners.add(`s${i}`, 'page-a');
    expect(owners.refusal('page-b')).toBeUndefined();
    expect(owners.refusal(undefined)).toBeUndefined();
    expect(owners.refusal('page-a')).toBe(
      'this client already holds 100 sessions, the limit per client (maxSessionsPerClient 100; the web host’s --max-sessions-per-client flag): remove sessions you no longer need (close their tabs)',
    );
  });

  it('refuses the engine’s 1,001st session, whoever asks', () => {
    const { owners } = setup({ maxSessions: 1000, maxSessionsPerClient: 2000 });
    for (let i = 0; i < 1000; i++) owners.add(`s${i}`, undefined);
    expect(owners.refusal(undefined)).toMatch(/^the engine already holds 1000 sessions, its limit \(maxSessions 1000\)/);
    expect(owners.refusal('page-a')).toMatch(/maxSessions 1000/);
    // Adopting moves a session; the engine's total does not grow.
    expect(owners.refusal('page-a', false)).toBeUndefined();
    owners.remove('s0');
    expect(owners.refusal(undefined)).toBeUndefined();
  });
});
