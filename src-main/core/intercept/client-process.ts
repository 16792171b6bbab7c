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
 */
import { promises as fs } from 'node:fs';
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
  for (const pid of pids) {
    const fdDir = path.join(root, pid, 'fd');
    // Another user's process: EACCES, skipped (its clients stay "unknown").
    const fds = await fs.readdir(fdDir).catch(() => [] as string[]);
    for (const fd of fds) {
      const link = await fs.readlink(path.join(fdDir, fd)).catch(() => '');
      const inode = /^socket:\[(\d+)\]$/.exec(link)?.[1];
      const ends = inode === undefined ? undefined : inodes.get(inode);
      if (ends === undefined || found.has(ends)) continue;
      const name = (await fs.readFile(path.join(root, pid, 'comm'), 'utf8').catch(() => '')).trim();
      if (name !== '') found.set(ends, { pid: Number(pid), name });
    }
    if (found.size === inodes.size) break;
  }
  return found;
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
