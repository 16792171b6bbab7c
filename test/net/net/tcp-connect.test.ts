// tcpConnect on 127.0.0.1, its leg timed on the deadline's clock (fake time: exact figures).
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { NetFailure } from '../../../src-main/core/errors/net-failure';
import { Deadline } from '../../../src-main/core/net/deadline';
import { tcpConnect } from '../../../src-main/core/net/tcp-connect';
import type { HandshakeStep } from '../../../src-main/shared/model';
import { ManualClock } from '../../support/manual-clock';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

async function listening(): Promise<number> {
  const server = net.createServer((socket) => socket.destroy());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => server.close());
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

async function closedPort(): Promise<number> {
  const port = await listening();
  cleanups.pop()?.();
  return port;
}

describe('tcpConnect', () => {
  it("reports the tcp leg with its start and duration on the deadline's clock", async () => {
    const clock = new ManualClock();
    const port = await listening();
    const steps: HandshakeStep[] = [];
    const socket = await tcpConnect({ host: '127.0.0.1', port, stage: 'connect', deadline: new Deadline(10_000, undefined, clock), onStep: (step) => steps.push(step) });
    socket.destroy();
    // The clock did not move while the socket connected: the leg took 0 ms of its time.
    expect(steps).toEqual([{ leg: 'tcp', startedAt: clock.now(), ms: 0, ok: true, peer: `127.0.0.1:${port}` }]);
  });

  it('a refused connection fails with its own code and a failed leg, not at the deadline', async () => {
    const clock = new ManualClock();
    const port = await closedPort();
    const steps: HandshakeStep[] = [];
    const error: unknown = await tcpConnect({ host: '127.0.0.1', port, stage: 'proxy-connect', deadline: new Deadline(10_000, undefined, clock), onStep: (step) => steps.push(step) }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(NetFailure);
    if (!(error instanceof NetFailure)) return;
    expect(error.netError).toMatchObject({ stage: 'proxy-connect', code: 'PROXY_CONNECTION_REFUSED' });
    expect(steps).toEqual([{ leg: 'tcp', startedAt: clock.now(), ms: 0, ok: false, peer: `127.0.0.1:${port}` }]);
  });

  it('an abort rejects with its reason and fails the leg', async () => {
    const clock = new ManualClock();
    const port = await listening();
    const controller = new AbortController();
    controller.abort(new Error('closed by the user'));
    const steps: HandshakeStep[] = [];
    const error: unknown = await tcpConnect({ host: '127.0.0.1', port, stage: 'connect', deadline: new Deadline(10_000, undefined, clock), signal: controller.signal, onStep: (step) => steps.push(step) }).catch(
      (e: unknown) => e,
    );
    expect(error).toEqual(new Error('closed by the user'));
    expect(steps.map((step) => step.ok)).toEqual([false]);
    expect(clock.pending).toBe(0);
  });
});
