/**
 * `connect --reconnect --decode mqtt` as a user runs it (spawned), against QA's server on
 * 127.0.0.1: the first connection sends the first 12 bytes of an MQTT PUBLISH and drops TCP; the
 * second sends a CONNACK and a PUBLISH, then closes with 1000 (not retried: the run ends). The
 * second attempt's frames decode as CONNACK and PUBLISH (afresh), and the attempt's line says its
 * last message's PUBLISH never got the rest; human and --json. The wait is --reconnect-delay 100
 * (a spawned process has no fake clock); nothing is timed.
 */
import mqtt from 'mqtt-packet';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import { envWithoutProxies, runCli as runCliProcess, stopCliProcesses, type CliResult } from '../../support/cli-process';

const v4 = { protocolVersion: 4 } as const;
const connack = mqtt.generate({ cmd: 'connack', returnCode: 0, sessionPresent: false }, v4);
const publish = mqtt.generate({ cmd: 'publish', topic: 'sensors/1', payload: Buffer.from('{"t":21.5,"unit":"C","note":"padding"}'), qos: 1, messageId: 1, retain: false, dup: false }, v4);

let server: WebSocketServer | undefined;

afterEach(async () => {
  await stopCliProcesses();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

async function startServer(): Promise<string> {
  let connections = 0;
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  server = wss;
  wss.on('connection', (ws: WebSocket) => {
    connections += 1;
    if (connections === 1) {
      ws.send(publish.subarray(0, 12), () => ws.terminate());
      return;
    }
    ws.send(connack);
    ws.send(publish, () => ws.close(1000, 'done'));
  });
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
  const address = wss.address();
  if (typeof address === 'string' || address === null) throw new Error('no port');
  return `ws://127.0.0.1:${address.port}/mqtt`;
}

function runCli(args: string[]): Promise<CliResult> {
  return runCliProcess(args, { env: { ...envWithoutProxies(), NO_COLOR: '1' } });
}

describe('tunnelscope connect --reconnect --decode: each attempt decodes afresh', () => {
  it('--json: attempt 2 decodes as CONNACK and PUBLISH; the attempt line says what attempt 1 cut short', async () => {
    const url = await startServer();
    const result = await runCli(['connect', url, '--no-proxy', '--reconnect-delay', '100', '--decode', 'mqtt', '--listen', '--json']);
    const out = result.stdout
      .split('\n')
      .filter((line) => line !== '')
      .map((line): { type: string; seq?: number; decoded?: { summary?: string }; unfinished?: { seq: number; decoded: { summary: string } }[] } => JSON.parse(line));
    const frames = out.filter((l) => l.type === 'frame' && l.decoded);
    expect(frames.map((l) => [l.seq, l.decoded?.summary?.replace(/ .*/, '')])).toEqual([
      [1, 'part'],
      [2, 'CONNACK'],
      [3, 'PUBLISH'],
    ]);
    expect(frames[2]?.decoded?.summary).toMatch(/^PUBLISH sensors\/1 QoS 1 /);
    const attempt = out.find((l) => l.type === 'attempt');
    expect(attempt?.unfinished?.map((u) => [u.seq, u.decoded.summary])).toEqual([[1, expect.stringMatching(/^not valid MQTT: part of an MQTT PUBLISH: .*the session ended before the rest$/)]]);
    // Nothing is left under way at the end: attempt 2 ended on whole packets.
    expect(out.find((l) => l.type === 'closed')?.unfinished).toBeUndefined();
  });

  it('human: the attempt line is followed by what the last message received left unfinished', async () => {
    const url = await startServer();
    const result = await runCli(['connect', url, '--no-proxy', '--reconnect-delay', '100', '--decode', 'mqtt', '--listen']);
    const text = result.stdout;
    expect(text).toMatch(/↻ attempt 1 (lost|failed)[^\n]*\n\s+← the last message received: not valid MQTT: part of an MQTT PUBLISH: [^\n]*the session ended before the rest/);
    expect(text).toMatch(/CONNACK rc=0/);
    expect(text).toMatch(/PUBLISH sensors\/1 QoS 1/);
    expect(text).not.toMatch(/a close frame, which cuts short/);
  });
});
