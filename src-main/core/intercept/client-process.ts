/**
 * Which process on this machine an intercepted client's connection belongs to, where the OS
 * tells. On Linux: the client's socket is the line of /proc/net/tcp (or tcp6) whose local port
 * is the client's port and whose remote port is the proxy's; its inode is found among the
 * links of /proc/<pid>/fd/* (`socket:[inode]`), and /proc/<pid>/comm names the process. Only
 * the user's own processes can be read: another user's, a client on another machine, or any
 * other OS is "unknown" (undefined).
 *
 * Lookups asked for while a scan runs wait for the next one, and each scan answers every lookup
 * waiting for it: 200 clients connecting at once cost a few scans, not 200.
 *
 * The fd links are read synchronously, LINKS_PER_TURN at a time between turns of the event loop:
 * /proc answers from memory, and a libuv thread round trip per link cost about three times the
 * CPU (a scan of 850 links here: 35 ms asynchronously, 13-16 ms so), paid on every connection.
 */
import fsSync, { promises as fs } from 'node:fs';
import path from 'node:path';
import type { ClientProcess } from '../../shared/captured-from';

/** The two ends of the client's connection as the proxy sees them. */
export interface ClientEnds {
  /** The client's port (the proxy socket's remote port). */
  clientPort: number;
  /** The proxy's port (the proxy socket's local port). */
  proxyPort: number;
}

export type ClientProcessLookup = (ends: ClientEnds) => Promise<ClientProcess | undefined>;

/** Links read before the scan lets the event loop run (a few milliseconds of /proc reads). */
const LINKS_PER_TURN = 128;

interface Waiting {
  ends: ClientEnds;
  resolve: (found: ClientProcess | undefined) => void;
}

/** `/proc` on Linux; nothing elsewhere. `procRoot` is for tests (a made-up /proc tree). */
export function clientProcessLookup(options: { platform?: NodeJS.Platform; procRoot?: string } = {}): ClientProcessLookup {
  if ((options.platform ?? process.platform) !== 'linux') return () => Promise.resolve(undefined);
  const root = options.procRoot ?? '/proc';
  let waiting: Waiting[] = [];
  let scanning = false;
  const run = async (): Promise<void> => {
    scanning = true;
    while (waiting.length > 0) {
      const batch = waiting;
      waiting = [];
      const found = await scan(root, batch.map((w) => w.ends)).catch(() => new Map<string, ClientProcess>());
      for (const w of batch) w.resolve(found.get(key(w.ends)));
    }
    scanning = false;
  };
  return (ends) =>
    new Promise((resolve) => {
      waiting.push({ ends, resolve });
      if (!scanning) void run();
    });
}

function key(ends: ClientEnds): string {
  return `${ends.clientPort}>${ends.proxyPort}`;
}

/** One pass over /proc for every pair of ends asked. */
async function scan(root: string, asked: readonly ClientEnds[]): Promise<Map<string, ClientProcess>> {
  const wanted = new Set(asked.map(key));
  // inode → which ends it is
  const inodes = new Map<string, string>();
  for (const table of ['tcp', 'tcp6']) {
    const text = await fs.readFile(path.join(root, 'net', table), 'utf8').catch(() => '');
    for (const [ends, inode] of socketLines(text)) {
      if (wanted.has(ends) && inode !== '0') inodes.set(inode, ends);
    }
  }
  const found = new Map<string, ClientProcess>();
  if (inodes.size === 0) return found;
  const pids = (await fs.readdir(root).catch(() => [] as string[])).filter((name) => /^\d+$/.test(name));
  let linksThisTurn = 0;
  for (const pid of pids) {
    const fdDir = path.join(root, pid, 'fd');
    // Another user's process: EACCES, skipped (its clients stay "unknown").
    const fds = orNothing(() => fsSync.readdirSync(fdDir), [] as string[]);
    for (const fd of fds) {
      if (++linksThisTurn > LINKS_PER_TURN) {
        linksThisTurn = 0;
        await nextTurn();
      }
      // A process (or fd) gone meanwhile: nothing.
      const link = orNothing(() => fsSync.readlinkSync(path.join(fdDir, fd)), '');
      const inode = /^socket:\[(\d+)\]$/.exec(link)?.[1];
      const ends = inode === undefined ? undefined : inodes.get(inode);
      if (ends === undefined || found.has(ends)) continue;
      const name = orNothing(() => fsSync.readFileSync(path.join(root, pid, 'comm'), 'utf8'), '').trim();
      if (name !== '') found.set(ends, { pid: Number(pid), name });
    }
    if (found.size === inodes.size) break;
  }
  return found;
}

/** What `read` returns, or `fallback` when it throws (a /proc entry gone or not ours to read). */
function orNothing<T>(read: () => T, fallback: T): T {
  try {
    return read();
  } catch {
    return fallback;
  }
}

/** Lets the event loop run (the relay's sockets) before the scan goes on. */
function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * Each socket line of /proc/net/tcp(6) as [`clientPort>proxyPort` read as local>remote, inode].
 * Columns: sl, local_address, rem_address, st, tx:rx, tr:when, retrnsmt, uid, timeout, inode.
 * Ports are hexadecimal after the colon.
 */
function* socketLines(text: string): Generator<[string, string]> {
  for (const line of text.split('\n').slice(1)) {
    const columns = line.trim().split(/\s+/);
    const local = columns[1];
    const remote = columns[2];
    const inode = columns[9];
    if (local === undefined || remote === undefined || inode === undefined || !/^\d+$/.test(inode)) continue;
    const localPort = portOf(local);
    const remotePort = portOf(remote);
    if (localPort === undefined || remotePort === undefined) continue;
    yield [`${localPort}>${remotePort}`, inode];
  }
}

function portOf(address: string): number | undefined {
  const hex = /:([0-9A-Fa-f]{4})$/.exec(address)?.[1];
  return hex === undefined ? undefined : parseInt(hex, 16);
}
