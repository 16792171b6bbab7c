/**
 * A throw-away RabbitMQ broker with the Web-STOMP plugin for tests (Debian's `rabbitmq-server`).
 * Everything is the test's own and on 127.0.0.1 only:
 *  - a temp dir holds the config, the enabled-plugins file, the database (RABBITMQ_MNESIA_BASE),
 *    the logs, the pid file and the Erlang cookie (HOME);
 *  - the node name is unique (`tunnelscope-<pid>-<n>@localhost`);
 *  - AMQP, the plain STOMP listener (the Web-STOMP plugin pulls in rabbitmq_stomp, which would
 *    otherwise listen on every interface at 61613), Web-STOMP and Erlang distribution each get a
 *    free port on 127.0.0.1;
 *  - Erlang distribution needs an epmd: the test starts its own on a free port (ERL_EPMD_PORT,
 *    `-address 127.0.0.1`) and the node is started with `-start_epmd false`, so no shared epmd
 *    is started, and the one started here is stopped by pid.
 * The broker runs from the real start script (`/usr/lib/rabbitmq/bin/rabbitmq-server`; Debian's
 * `/usr/sbin/rabbitmq-server` wrapper switches to the `rabbitmq` user and its /var/lib dir):
 * in the foreground it runs the Erlang VM as its child and, on SIGTERM, stops it cleanly and
 * waits for it. `stop()` sends that SIGTERM, then checks that the script, the VM (its pid from
 * RABBITMQ_PID_FILE) and epmd are gone, killing what is not.
 *
 * Always `await broker.stop()` in afterAll.
 */
import { accessSync, constants, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { findBinary, freePort, spawnProxy, waitForPort, type ProxyProcess } from './proxy-process';
import { waitUntil } from './wait-until';

/** The start script itself: Debian's PATH entry is a wrapper that switches user (see above). */
function rabbitmqStartScript(): string | undefined {
  const debianScript = '/usr/lib/rabbitmq/bin/rabbitmq-server';
  try {
    accessSync(debianScript, constants.X_OK);
    return debianScript;
  } catch {
    return findBinary('rabbitmq-server');
  }
}

export const rabbitmqServerScript = rabbitmqStartScript();
export const epmdBinary = findBinary('epmd', ['/usr/bin/epmd']);

/** Why the RabbitMQ tests cannot run here, or undefined when they can. */
export const rabbitmqMissing: string | undefined = !rabbitmqServerScript
  ? 'rabbitmq-server not installed'
  : !epmdBinary
    ? 'epmd (erlang-base) not installed'
    : undefined;

/** A starved 2-core machine boots the broker in 8 s when idle; this is only reached when it never listens. */
const START_BUDGET_MS = 180_000;
/** How long a clean stop may take before what is left is killed. */
const STOP_GRACE_MS = 60_000;

export interface RunningRabbitMq {
  /** The Web-STOMP port on 127.0.0.1. */
  webStompPort: number;
  /** `ws://127.0.0.1:<port>/ws`, the plugin's endpoint (subprotocols v10.stomp, v11.stomp, v12.stomp). */
  webStompUrl: string;
  dir: string;
  /** The processes started: the start script, the Erlang VM it runs, and our epmd. */
  pids(): { script: number | undefined; vm: number | undefined; epmd: number | undefined };
  /** The start script's output and the broker's log, for failure messages. */
  logs(): string;
  stop(): Promise<void>;
}

function rabbitmqConf(ports: { amqp: number; stomp: number; webStomp: number }, extraConfig: readonly string[]): string {
  return [
    `listeners.tcp.default = 127.0.0.1:${ports.amqp}`,
    `stomp.listeners.tcp.1 = 127.0.0.1:${ports.stomp}`,
    'web_stomp.tcp.ip = 127.0.0.1',
    `web_stomp.tcp.port = ${ports.webStomp}`,
    // The default user guest/guest may sign in from loopback only, which is where the tests are.
    ...extraConfig,
    '',
  ].join('\n');
}

/** True while `pid` runs (a zombie, exited but not yet reaped, counts as gone). */
export function processRuns(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    // /proc/<pid>/stat: "pid (comm) state …"; the comm may hold spaces, the state follows its ')'.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true;
  }
}

/** SIGTERM, then SIGKILL if it still runs after the grace. */
async function endProcess(pid: number | undefined, graceMs: number): Promise<void> {
  if (pid === undefined || !processRuns(pid)) return;
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return;
  }
  try {
    await waitUntil(`pid ${pid} to exit`, () => !processRuns(pid), graceMs);
  } catch {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone meanwhile
    }
    await waitUntil(`pid ${pid} to exit after SIGKILL`, () => !processRuns(pid));
  }
}

let instanceCount = 0;

/** Starts made with fresh ports when one was taken (below): the ports are free when picked, not when the broker binds them. */
const START_TRIES = 3;

/**
 * A broker of its own. Its five ports are picked free, then bound by the broker a few seconds
 * later; another test's server may take one in between (CI saw the STOMP port taken:
 * `listen_error … eaddrinuse`), so such a start is stopped and made again with fresh ports.
 * `extraConfig`: more rabbitmq.conf lines (e.g. `web_stomp.ws_opts.idle_timeout = 10000`).
 */
export async function startRabbitMq(extraConfig: readonly string[] = []): Promise<RunningRabbitMq> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startRabbitMqOnce(extraConfig);
    } catch (error) {
      const portTaken = /eaddrinuse|address already in use/i.test(error instanceof Error ? error.message : String(error));
      if (!portTaken || attempt >= START_TRIES) throw error;
    }
  }
}

async function startRabbitMqOnce(extraConfig: readonly string[]): Promise<RunningRabbitMq> {
  if (!rabbitmqServerScript || !epmdBinary) throw new Error(rabbitmqMissing ?? 'rabbitmq-server is not installed');
  const dir = mkdtempSync(path.join(tmpdir(), 'tunnelscope-rabbitmq-'));
  const ports = { amqp: await freePort(), stomp: await freePort(), webStomp: await freePort(), dist: await freePort(), epmd: await freePort() };
  const confFile = path.join(dir, 'rabbitmq.conf');
  const pidFile = path.join(dir, 'rabbit.pid');
  const logFile = path.join(dir, 'log', 'rabbit.log');
  writeFileSync(confFile, rabbitmqConf(ports, extraConfig));
  writeFileSync(path.join(dir, 'enabled_plugins'), '[rabbitmq_web_stomp].\n');

  // Only what this broker needs from our environment (no proxies, no RABBITMQ_* of the machine).
  const base: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) if (!/_proxy$/i.test(name) && !/^(RABBITMQ_|ERL_)/.test(name)) base[name] = value;
  const epmdEnv = { ...base, ERL_EPMD_ADDRESS: '127.0.0.1', ERL_EPMD_PORT: String(ports.epmd) };
  const brokerEnv: NodeJS.ProcessEnv = {
    ...epmdEnv,
    // The Erlang cookie goes to $HOME/.erlang.cookie.
    HOME: dir,
    RABBITMQ_NODENAME: `tunnelscope-${process.pid}-${++instanceCount}@localhost`,
    RABBITMQ_CONF_ENV_FILE: path.join(dir, 'rabbitmq-env.conf'),
    RABBITMQ_CONFIG_FILE: confFile,
    RABBITMQ_ADVANCED_CONFIG_FILE: path.join(dir, 'advanced.config'),
    RABBITMQ_ENABLED_PLUGINS_FILE: path.join(dir, 'enabled_plugins'),
    RABBITMQ_MNESIA_BASE: path.join(dir, 'mnesia'),
    RABBITMQ_LOG_BASE: path.join(dir, 'log'),
    RABBITMQ_LOGS: logFile,
    RABBITMQ_PID_FILE: pidFile,
    RABBITMQ_DIST_PORT: String(ports.dist),
    RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS: '-start_epmd false -kernel inet_dist_use_interface {127,0,0,1}',
  };

  let epmd: ProxyProcess | undefined;
  let broker: ProxyProcess | undefined;
  let vmPid: number | undefined;
  const readVmPid = (): number | undefined => {
    try {
      const pid = Number(readFileSync(pidFile, 'utf8').trim());
      return Number.isInteger(pid) && pid > 0 ? pid : undefined;
    } catch {
      return undefined;
    }
  };
  const logs = (): string => {
    let log = '';
    try {
      log = readFileSync(logFile, 'utf8').slice(-6000);
    } catch {
      // not written yet
    }
    return `--- epmd\n${epmd?.output() ?? ''}\n--- rabbitmq-server\n${broker?.output().slice(-4000) ?? ''}\n--- ${logFile}\n${log}`;
  };
  const stop = async (): Promise<void> => {
    vmPid ??= readVmPid();
    // The script stops the VM on SIGTERM and waits for it; the VM is killed only if that fails.
    await endProcess(broker?.child.pid, STOP_GRACE_MS);
    await endProcess(vmPid, STOP_GRACE_MS);
    await endProcess(epmd?.child.pid, STOP_GRACE_MS);
    for (const [name, pid] of [['rabbitmq-server', broker?.child.pid], ['the Erlang VM', vmPid], ['epmd', epmd?.child.pid]] as const) {
      if (pid !== undefined && processRuns(pid)) throw new Error(`${name} (pid ${pid}) still runs after stop`);
    }
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    epmd = spawnProxy(epmdBinary, ['-port', String(ports.epmd), '-address', '127.0.0.1'], dir, epmdEnv);
    await waitForPort(epmd, ports.epmd, START_BUDGET_MS, logs);
    broker = spawnProxy(rabbitmqServerScript, [], dir, brokerEnv);
    await waitForPort(broker, ports.webStomp, START_BUDGET_MS, logs);
    vmPid = readVmPid();
    if (vmPid === undefined) throw new Error(`RabbitMQ listens but wrote no pid to ${pidFile}:\n${logs()}`);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    webStompPort: ports.webStomp,
    webStompUrl: `ws://127.0.0.1:${ports.webStomp}/ws`,
    dir,
    pids: () => ({ script: broker?.child.pid, vm: vmPid, epmd: epmd?.child.pid }),
    logs,
    stop,
  };
}
