/**
 * Profiles and the deadlines: a file from before `timeouts` (one handshake timeout) still reads,
 * and its timeout is the TLS and upgrade deadlines of the connection; `timeouts` is kept as
 * saved and wins over the older field; out-of-range deadlines are named where they are.
 */
import { describe, expect, it } from 'vitest';
import { readStoredDocument } from '../../../src-main/core/profiles/migrations';
import { connectionOptionsFor } from '../../../src-main/core/profiles/profile-connection';
import { effectiveTimeouts } from '../../../src-main/shared/timeouts';

const noSecrets = (): string => {
  throw new Error('no secret expected');
};

function stored(extra: Record<string, unknown>) {
  return {
    version: 2,
    revision: 3,
    profiles: [
      {
        id: 'p1',
        revision: 1,
        createdAt: 1,
        updatedAt: 1,
        name: 'Gateway',
        url: 'wss://gw.example/ws',
        headers: [],
        subprotocols: [],
        proxy: { mode: 'none', caFiles: [] },
        tls: { caFiles: [], insecure: false },
        savedMessages: [],
        ...extra,
      },
    ],
  };
}

function readOne(extra: Record<string, unknown>) {
  const read = readStoredDocument(stored(extra));
  if (read.kind !== 'ok') throw new Error(`expected ok, got ${read.kind}`);
  return read;
}

describe('profiles and deadlines', () => {
  it('reads a profile from before `timeouts`: its handshake timeout becomes the TLS and upgrade deadlines', () => {
    const read = readOne({ handshakeTimeoutMs: 7000 });
    expect(read.problems).toEqual([]);
    const profile = read.doc.profiles[0];
    if (!profile) throw new Error('no profile');
    expect(profile.timeouts).toBeUndefined();
    const options = connectionOptionsFor(profile, noSecrets);
    expect(effectiveTimeouts(options)).toEqual({ proxyConnectMs: 10_000, proxyAnswerMs: 15_000, tlsMs: 7000, upgradeMs: 7000, openMs: undefined });
  });

  it('a profile without either field has the defaults', () => {
    const profile = readOne({}).doc.profiles[0];
    if (!profile) throw new Error('no profile');
    expect(profile.handshakeTimeoutMs).toBe(10_000);
    expect(effectiveTimeouts(connectionOptionsFor(profile, noSecrets))).toEqual({ proxyConnectMs: 10_000, proxyAnswerMs: 15_000, tlsMs: 10_000, upgradeMs: 10_000, openMs: undefined });
  });

  it('keeps `timeouts` as saved, and it wins over the older field', () => {
    const profile = readOne({ handshakeTimeoutMs: 7000, timeouts: { proxyAnswerMs: 30_000, upgradeMs: 20_000, openMs: 60_000 } }).doc.profiles[0];
    if (!profile) throw new Error('no profile');
    expect(profile.timeouts).toEqual({ proxyAnswerMs: 30_000, upgradeMs: 20_000, openMs: 60_000 });
    expect(effectiveTimeouts(connectionOptionsFor(profile, noSecrets))).toEqual({ proxyConnectMs: 10_000, proxyAnswerMs: 30_000, tlsMs: 7000, upgradeMs: 20_000, openMs: 60_000 });
  });

  it('names a deadline out of its bounds, and where it is', () => {
    const read = readStoredDocument(stored({ timeouts: { tlsMs: 5, openMs: 'soon' } }));
    const problems = read.kind === 'ok' ? read.problems : read.kind === 'invalid' ? read.problems : [];
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ message: expect.stringContaining('the TLS deadline is at least 100 ms') }),
        expect.objectContaining({ path: expect.stringContaining('timeouts.openMs') }),
      ]),
    );
  });
});
