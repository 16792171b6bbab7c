import { describe, expect, it } from 'vitest';
import type { NetError } from '../../../src-main/shared/errors';
import { barGeometry, legOfStage, legOfState, timelineRows } from '../../../src-renderer/src/util/handshake-legs';

const error = (stage: NetError['stage']): NetError => ({ kind: 'net', stage, code: 'PROXY_REFUSED', message: 'm', hint: 'h', details: { proxy: 'http://p:1', target: 't:443' } });

describe('handshake legs', () => {
  it('maps states and stages to legs', () => {
    expect(legOfState('tunneling')).toBe('proxy');
    expect(legOfState('open')).toBeNull();
    expect(legOfStage('proxy-connect')).toBe('tcp');
    expect(legOfStage('connect')).toBe('tcp');
    expect(legOfStage('transport')).toBeNull();
  });

  it('adds a running row for the state\'s leg unless its step is already in', () => {
    const steps = [{ leg: 'resolve' as const, startedAt: 0, ms: 2, ok: true }];
    const rows = timelineRows({ state: 'connecting', stateSince: 2, steps, error: null }, 12);
    expect(rows.map((r) => [r.leg, r.status, r.ms])).toEqual([
      ['resolve', 'ok', 2],
      ['tcp', 'running', 10],
    ]);
    const done = timelineRows({ state: 'connecting', stateSince: 2, steps: [...steps, { leg: 'tcp', startedAt: 2, ms: 3, ok: true }], error: null }, 12);
    expect(done.map((r) => r.status)).toEqual(['ok', 'ok']);
  });

  it('adds the failed leg from the error stage, with the proxy as peer for proxy legs', () => {
    const rows = timelineRows({ state: 'failed', stateSince: 9, steps: [{ leg: 'resolve', startedAt: 0, ms: 2, ok: true }], error: error('proxy-connect') }, 20);
    expect(rows.at(-1)).toMatchObject({ leg: 'tcp', status: 'failed', peer: 'http://p:1', step: null });
    const tls = timelineRows({ state: 'failed', stateSince: 9, steps: [], error: error('tls') }, 20);
    expect(tls.at(-1)).toMatchObject({ leg: 'tls', peer: 't:443' });
  });

  it('does not add a second failed row when the step already failed', () => {
    const rows = timelineRows({ state: 'failed', stateSince: 9, steps: [{ leg: 'proxy', startedAt: 0, ms: 5, ok: false }], error: error('tunnel') }, 20);
    expect(rows).toHaveLength(1);
  });

  it('marks a failed leg the connection went on from as retried, and only the last failure as failed', () => {
    const steps = [
      { leg: 'tcp' as const, startedAt: 0, ms: 1, ok: true },
      { leg: 'proxy' as const, startedAt: 1, ms: 2, ok: false },
      { leg: 'tcp' as const, startedAt: 3, ms: 1, ok: true },
      { leg: 'proxy' as const, startedAt: 4, ms: 2, ok: false },
    ];
    const rows = timelineRows({ state: 'failed', stateSince: 6, steps, error: error('tunnel') }, 20);
    expect(rows.map((r) => r.status)).toEqual(['ok', 'retried', 'ok', 'failed']);
    const opened = timelineRows({ state: 'open', stateSince: 6, steps: [...steps.slice(0, 3), { leg: 'proxy', startedAt: 4, ms: 2, ok: true }], error: null }, 20);
    expect(opened.map((r) => r.status)).toEqual(['ok', 'retried', 'ok', 'ok']);
  });

  it('places bars as fractions of the whole handshake', () => {
    const rows = timelineRows(
      { state: 'open', stateSince: 0, steps: [{ leg: 'resolve', startedAt: 100, ms: 25, ok: true }, { leg: 'tcp', startedAt: 125, ms: 75, ok: true }], error: null },
      0,
    );
    const second = rows[1];
    if (!second) throw new Error('missing row');
    expect(barGeometry(rows, second)).toEqual({ left: 0.25, width: 0.75 });
  });
});
