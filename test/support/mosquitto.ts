/**
 * Starts Mosquitto with its own WebSockets listener (subprotocol `mqtt`) for a test. Debian 12's
 * mosquitto 2.0.11 starts a `protocol websockets` listener only beside a plain MQTT one (alone it
 * exits with "Unable to start any listening sockets"), and binds an IPv6-mapped address without
 * `socket_domain ipv4`; so the config has both listeners on 127.0.0.1. Its listeners take no
 * port 0, so free ports are found by binding 0 and releasing them.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import net, { type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { WAIT_MS } from './wait-until';

export const MOSQUITTO = '/usr/sbin/mosquitto';
export const hasMosquitto = (): boolean => existsSync(MOSQUITTO);

export interface Broker {
  /** The WebSockets listener's port on 127.0.0.1. */
  wsPort: number;
  /** What the broker logged so far (stderr). */
  log(): string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

function accepts(port: number): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    const socket = net.connect(port, '127.0.0.1', () => (socket.end(), resolve(true)));
    socket.on('error', () => resolve(false));
  });
}

/** `extraConfig`: lines added to the config (an `acl_file`, say). */
export async function startMosquitto(extraConfig: readonly string[] = []): Promise<Broker> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'tunnelscope-mosquitto-'));
  const plain = await freePort();
  const wsPort = await freePort();
  const conf = path.join(dir, 'mosquitto.conf');
  await writeFile(
    conf,
    [`listener ${plain} 127.0.0.1`, `listener ${wsPort} 127.0.0.1`, 'protocol websockets', 'socket_domain ipv4', 'allow_anonymous true', 'persistence false', 'log_dest stderr', 'log_type all', ...extraConfig, ''].join('\n'),
  );
  const child = spawn(MOSQUITTO, ['-c', conf], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()));
  const stop = async (): Promise<void> => {
    if (child.pid !== undefined && child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      process.kill(child.pid, 'SIGTERM');
      await exited;
    }
    await rm(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + WAIT_MS;
  while (!(await accepts(wsPort))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`mosquitto did not listen on 127.0.0.1:${wsPort}: ${log}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { wsPort, log: () => log, stop };
}
