/**
 * A real tinyproxy for tests: `tinyproxy -d -c <conf>` (foreground) with its config and pid
 * file in a fresh temp dir, on 127.0.0.1:<free port>, allowing only 127.0.0.1. Without
 * ConnectPort lines tinyproxy allows CONNECT to every port; `connectPorts` limits it (a CONNECT
 * elsewhere is refused with 403). `auth` turns on BasicAuth.
 *
 * Always `await tinyproxy.stop()` in afterAll: it kills by pid and waits for the exit.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { findBinary, freePort, spawnProxy, stopProcess, waitForPort } from './proxy-process';

export const tinyproxyBinary = findBinary('tinyproxy', ['/usr/bin/tinyproxy', '/usr/sbin/tinyproxy']);

/** Why the tinyproxy tests cannot run here, or undefined when they can. */
export const tinyproxyMissing: string | undefined = tinyproxyBinary ? undefined : 'tinyproxy not installed';

export interface TinyproxyOptions {
  /** Ports CONNECT may reach; default: all. */
  connectPorts?: number[];
  auth?: { username: string; password: string };
}

export interface RunningTinyproxy {
  port: number;
  /** `http://127.0.0.1:PORT` (no credentials). */
  url: string;
  /** What tinyproxy logged (it logs to stderr with -d). */
  logs(): string;
  stop(): Promise<void>;
}

export async function startTinyproxy(options: TinyproxyOptions = {}): Promise<RunningTinyproxy> {
  if (!tinyproxyBinary) throw new Error('tinyproxy is not installed');
  const dir = mkdtempSync(path.join(tmpdir(), 'tunnelscope-tinyproxy-'));
  const port = await freePort();
  const lines = [
    'Listen 127.0.0.1',
    `Port ${port}`,
    'Timeout 30',
    'MaxClients 20',
    'Allow 127.0.0.1',
    'LogLevel Info',
    `PidFile "${dir}/tinyproxy.pid"`,
    ...(options.connectPorts ?? []).map((p) => `ConnectPort ${p}`),
    ...(options.auth ? [`BasicAuth ${options.auth.username} ${options.auth.password}`] : []),
    '',
  ];
  const conf = path.join(dir, 'tinyproxy.conf');
  writeFileSync(conf, lines.join('\n'), { mode: 0o600 });

  const proc = spawnProxy(tinyproxyBinary, ['-d', '-c', conf], dir);
  const stop = async (): Promise<void> => {
    await stopProcess(proc);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitForPort(proc, port, 10_000, () => proc.output());
  } catch (error) {
    await stop();
    throw error;
  }
  return { port, url: `http://127.0.0.1:${port}`, logs: () => proc.output(), stop };
}
