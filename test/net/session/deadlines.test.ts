/**
 * Every deadline that can end a connection, one at a time: a peer on 127.0.0.1 goes silent at
 * that leg, the session runs on a ManualClock, and time is moved past the deadline. The error
 * names the deadline that fired (details.deadline and its value), and its hint points at the
 * field in the app and at the flag on the command line.
 */
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { hintFor } from '../../../src-main/shared/hint-text';
import type { ConnectionOptionsInput } from '../../../src-main/shared/model';
import { TIMEOUT_DEFAULTS, type DeadlineName } from '../../../src-main/shared/timeouts';
import { ManualClock } from '../../support/manual-clock';
import { startSession, type Harness } from '../../support/session-harness';

interface SilentServer {
  port: number;
  /** Bytes each connection sent (a silent peer still reads). */
  received: () => number;
  close(): Promise<void>;
}

/** Accepts connections, reads what comes, never answers. */
async function startSilentServer(): Promise<SilentServer> {
  const sockets = new Set<net.Socket>();
  let received = 0;
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('data', (chunk: Buffer) => {
      received += chunk.length;
    });
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return {
    port: address.port,
    received: () => received,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

let silent: SilentServer | undefined;
let harness: Harness | undefined;

afterEach(async () => {
  await harness?.session.dispose();
  harness = undefined;
  await silent?.close();
  silent = undefined;
});

/**
 * Starts a session on a ManualClock, waits until the leg in `state` has armed its deadline
 * (a timer is pending on the clock), then moves time by `ms`; resolves with the error.
 */
async function failAt(options: ConnectionOptionsInput, state: string, ms: number) {
  const clock = new ManualClock();
  const h = startSession(options, { clock });
  harness = h;
  await expect.poll(() => h.session.state, { timeout: 5000 }).toBe(state);
  await expect.poll(() => clock.pending, { timeout: 5000 }).toBeGreaterThan(0);
  // Just short of it: nothing fires.
  clock.advance(ms - 1);
  expect(h.of('error')).toEqual([]);
  clock.advance(1);
  await h.closed();
  const error = h.of('error')[0]?.error;
  if (!error) throw new Error(`no error; states: ${h.states().join(' → ')}`);
  return error;
}

const CASES: {
  deadline: DeadlineName;
  state: string;
  stage: string;
  code: string;
  field: string;
  flag: string;
  options: (port: number) => ConnectionOptionsInput;
  ms: number;
}[] = [
  {
    deadline: 'proxy-connect',
    state: 'proxy-tls',
    stage: 'proxy-tls',
    code: 'HANDSHAKE_TIMEOUT',
    field: 'Timeouts → Proxy connect',
    flag: '--proxy-connect-timeout 4000',
    // An https:// proxy that accepts TCP and never speaks TLS: the connection to it never completes.
    options: (port) => ({ url: 'ws://echo.test/', proxy: { mode: 'manual', url: `https://127.0.0.1:${port}` }, timeouts: { proxyConnectMs: 2000 } }),
    ms: 2000,
  },
  {
    deadline: 'proxy-answer',
    state: 'tunneling',
    stage: 'tunnel',
    code: 'PROXY_TIMEOUT',
    field: 'Timeouts → Proxy answer',
    flag: `--proxy-answer-timeout ${TIMEOUT_DEFAULTS.proxyAnswerMs * 2}`,
    // An http:// proxy that takes the CONNECT and never answers: the default deadline fires.
    options: (port) => ({ url: 'ws://echo.test/', proxy: { mode: 'manual', url: `http://127.0.0.1:${port}` } }),
    ms: TIMEOUT_DEFAULTS.proxyAnswerMs,
  },
  {
    deadline: 'tls',
    state: 'tls',
    stage: 'tls',
    code: 'HANDSHAKE_TIMEOUT',
    field: 'Timeouts → TLS',
    flag: '--tls-timeout 6000',
    options: (port) => ({ url: `wss://127.0.0.1:${port}/`, timeouts: { tlsMs: 3000 } }),
    ms: 3000,
  },
  {
    deadline: 'upgrade',
    state: 'upgrading',
    stage: 'upgrade',
    code: 'HANDSHAKE_TIMEOUT',
    field: 'Timeouts → Upgrade',
    flag: '--upgrade-timeout 2000',
    options: (port) => ({ url: `ws://127.0.0.1:${port}/`, timeouts: { upgradeMs: 1000 } }),
    ms: 1000,
  },
  {
    deadline: 'open',
    state: 'upgrading',
    stage: 'upgrade',
    code: 'OPEN_TIMEOUT',
    field: 'Timeouts → Open',
    flag: '--timeout 1000',
    // The whole opening's deadline passes before the upgrade's own (default 10 s).
    options: (port) => ({ url: `ws://127.0.0.1:${port}/`, timeouts: { openMs: 500 } }),
    ms: 500,
  },
];

describe('each deadline, on a peer that goes silent at its leg', () => {
  it.each(CASES)('$deadline: $code at $stage, named with its value, the hint pointing at "$field" / $flag', async (row) => {
    silent = await startSilentServer();
    const error = await failAt(row.options(silent.port), row.state, row.ms);
    expect(error).toMatchObject({ stage: row.stage, code: row.code, details: { deadline: row.deadline, timeoutMs: row.ms } });
    const app = hintFor(error, { host: 'app' });
    const cli = hintFor(error, { host: 'cli' });
    expect(app).toContain(`raise ${row.field} in the connection options`);
    expect(app).not.toContain('--');
    expect(cli).toContain(row.flag);
    expect(cli).not.toContain('connection options');
  });
});

describe('the older fields still set the deadlines', () => {
  it('handshakeTimeoutMs (from before `timeouts`) is the upgrade deadline, and `timeouts` wins over it', async () => {
    silent = await startSilentServer();
    const legacy = await failAt({ url: `ws://127.0.0.1:${silent.port}/`, handshakeTimeoutMs: 700 }, 'upgrading', 700);
    expect(legacy.details).toMatchObject({ deadline: 'upgrade', timeoutMs: 700 });
    await harness?.session.dispose();
    const both = await failAt({ url: `ws://127.0.0.1:${silent.port}/`, handshakeTimeoutMs: 700, timeouts: { upgradeMs: 900 } }, 'upgrading', 900);
    expect(both.details).toMatchObject({ deadline: 'upgrade', timeoutMs: 900 });
  });
});
