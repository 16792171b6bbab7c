/**
 * Sending to a server that stopped reading: 200 × 1 MiB through the engine to a server on
 * 127.0.0.1 whose socket is paused. Held when sends beyond the high-water mark are refused
 * with SEND_QUEUE_FULL (not "sent ok"), the session stays open, the statistics count only
 * bytes the socket wrote, memory stays bounded and the event loop does not stall.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type net from 'node:net';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { WebSocketServer } from 'ws';
import { Engine } from '../../src-main/core/engine';
import type { EngineEvent } from '../../src-main/shared/events';
import { rssMb, type SoakResult } from './soak-result';

const SENDS = 200;

const signed = (value: number): string => `${value >= 0 ? '+' : '−'}${Math.abs(value).toFixed(0)}`;
const MIB = 1024 * 1024;

export async function soakSendBackpressure(): Promise<SoakResult> {
  const name = `${SENDS} × 1 MiB sent to a server that stopped reading`;
  const server = http.createServer();
  const wss = new WebSocketServer({ server, maxPayload: 2 * MIB });
  const rawSockets = new Set<net.Socket>();
  server.on('upgrade', (request) => rawSockets.add(request.socket));
  // The server stops reading as soon as the connection is open.
  wss.on('connection', (socket) => socket.on('error', () => undefined));
  wss.on('headers', (_headers, request) => setImmediate(() => request.socket.pause()));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const engine = new Engine({ host: 'cli', version: 'soak', env: {} });
  const figures: string[] = [];
  const problems: string[] = [];
  try {
    const events: EngineEvent[] = [];
    engine.onEvent((event) => events.push(event));
    const opened = await engine.call('session:open', { options: { url: `ws://127.0.0.1:${port}/`, proxy: { mode: 'none' } } });
    if (!opened.ok) return { name, figures, problems: [`session:open failed: ${opened.error.message}`] };
    const { sessionId } = opened.value;
    for (let i = 0; i < 100 && !events.some((e) => e.type === 'state' && e.state === 'open'); i++) await new Promise((r) => setTimeout(r, 50));
    const rssBefore = rssMb();
    const delay = monitorEventLoopDelay({ resolution: 10 });
    delay.enable();
    const payload = Buffer.alloc(MIB, 0x61).toString('base64');
    let accepted = 0;
    const refusals = new Map<string, number>();
    for (let i = 0; i < SENDS; i++) {
      const sent = await engine.call('session:send', { sessionId, kind: 'binary', data: payload });
      if (sent.ok) accepted += 1;
      else refusals.set(sent.error.code, (refusals.get(sent.error.code) ?? 0) + 1);
    }
    await new Promise((r) => setTimeout(r, 500));
    delay.disable();
    const stats = await engine.call('session:stats', { sessionId });
    const listed = await engine.call('session:list', {});
    const state = listed.ok ? listed.value.find((info) => info.sessionId === sessionId)?.state : undefined;
    const rssAfter = rssMb();
    const outBytes = stats.ok ? stats.value.totals.out.bytes : Number.NaN;
    figures.push(`${accepted} sends accepted, refused: ${[...refusals].map(([code, n]) => `${code} ×${n}`).join(', ') || 'none'}; session ${state ?? 'unknown'}`);
    figures.push(`out bytes counted ${(outBytes / MIB).toFixed(1)} MiB; RSS ${signed(rssAfter - rssBefore)} MB; event loop delay max ${(delay.max / 1e6).toFixed(0)} ms`);
    if (accepted === SENDS) problems.push('every send was accepted: nothing pushed back');
    if (state !== 'open') problems.push(`the session is ${state ?? 'gone'}, not open, after its sends were refused`);
    if (outBytes >= accepted * MIB) problems.push('the statistics count bytes the socket has not written');
    if (rssAfter - rssBefore > 200) problems.push(`RSS grew by ${(rssAfter - rssBefore).toFixed(0)} MB`);
    await engine.call('session:close', { sessionId, code: 1000 });
  } finally {
    await engine.dispose();
    for (const socket of rawSockets) socket.destroy();
    await new Promise<void>((resolve) => wss.close(() => resolve()));
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
  return { name, figures, problems };
}
