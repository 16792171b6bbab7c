/**
 * An intercepting proxy on 127.0.0.1 (port 0) for a test: its own engine and a CA made in a
 * temporary data folder, every proxy report and engine event kept. `stop()` closes both and
 * checks nothing is left: the port refuses, every captured session has ended.
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'vitest';
import { Engine } from '../../src-main/core/engine';
import { loadOrCreateInterceptCa, type InterceptCa } from '../../src-main/core/intercept/intercept-ca';
import type { InterceptEvent } from '../../src-main/core/intercept/intercept-events';
import { InterceptProxy, type InterceptProxyOptions } from '../../src-main/core/intercept/intercept-proxy';
import { LeafCertificates } from '../../src-main/core/intercept/leaf-certificates';
import type { UpstreamChoice } from '../../src-main/core/intercept/upstream-options';
import { KeyFileCipher } from '../../src-main/core/secrets/keyfile-cipher';
import type { EngineEvent } from '../../src-main/shared/events';
import { portRefuses, waitUntil } from './wait-until';

export { waitUntil } from './wait-until';

export interface InterceptCaDir {
  ca: InterceptCa;
  cleanup(): void;
}

export async function makeInterceptCa(): Promise<InterceptCaDir> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tunnelscope-intercept-'));
  const ca = await loadOrCreateInterceptCa({ dataDir, cipher: KeyFileCipher.open(dataDir) });
  return { ca, cleanup: () => fs.rmSync(dataDir, { recursive: true, force: true }) };
}

export interface RunningIntercept {
  engine: Engine;
  proxy: InterceptProxy;
  /** `http://127.0.0.1:PORT` */
  url: string;
  port: number;
  reports: InterceptEvent[];
  events: EngineEvent[];
  stop(): Promise<void>;
}

export async function startIntercept(
  ca: InterceptCa,
  choice: UpstreamChoice,
  more: Partial<Omit<InterceptProxyOptions, 'engine' | 'leaves' | 'choice' | 'report'>> = {},
): Promise<RunningIntercept> {
  const engine = new Engine({ host: 'cli', version: 'test', env: {} });
  const reports: InterceptEvent[] = [];
  const events: EngineEvent[] = [];
  engine.onEvent((event) => events.push(event));
  const proxy = new InterceptProxy({ engine, leaves: new LeafCertificates(ca), choice, report: (event) => reports.push(event), environment: { env: {} }, ...more });
  const address = await proxy.listen('127.0.0.1', 0);
  const url = `http://127.0.0.1:${address.port}`;
  const stop = async (): Promise<void> => {
    await proxy.close();
    await engine.dispose();
    expect(await portRefuses(address.port)).toBe(true);
    const list = await engine.call('session:list', {});
    expect(list.ok && list.value.every((s) => s.state === 'closed' || s.state === 'failed')).toBe(true);
  };
  return { engine, proxy, url, port: address.port, reports, events, stop };
}

/** The first report of a type, waited for. */
export function report<T extends InterceptEvent['type']>(run: RunningIntercept, type: T): Promise<Extract<InterceptEvent, { type: T }>> {
  return waitUntil(`a ${type} report`, () => run.reports.find((r): r is Extract<InterceptEvent, { type: T }> => r.type === type));
}

/** Reads an HTTP head from a socket; what follows it comes back as `rest` (the socket is left paused). */
export function readHead(socket: net.Socket): Promise<{ head: string; rest: Buffer }> {
  return new Promise((resolve) => {
    let got = Buffer.alloc(0);
    const onData = (chunk: Buffer): void => {
      got = Buffer.concat([got, chunk]);
      const end = got.indexOf('\r\n\r\n');
      if (end < 0) return;
      socket.off('data', onData);
      socket.pause();
      resolve({ head: got.toString('latin1', 0, end), rest: got.subarray(end + 4) });
    };
    socket.on('data', onData);
  });
}

/** A raw CONNECT through the proxy: the answer's status line and the socket, ready for what the tunnel carries. */
export async function connectTunnel(proxyPort: number, authority: string): Promise<{ status: number; socket: net.Socket; rest: Buffer }> {
  const socket = net.connect(proxyPort, '127.0.0.1', () => socket.write(`CONNECT ${authority} HTTP/1.1\r\nHost: ${authority}\r\n\r\n`));
  const failed = new Promise<never>((_resolve, reject) => socket.once('error', reject));
  // An error after the answer is the test's to see on the socket, not an unhandled rejection here.
  failed.catch(() => undefined);
  const { head, rest } = await Promise.race([readHead(socket), failed]);
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(head)?.[1] ?? 0);
  return { status, socket, rest };
}
