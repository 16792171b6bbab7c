/**
 * The client process lookup against a made-up /proc tree (symbolic links stand for the fd
 * links), so every case is exact: found, another user's process, no such socket, a damaged
 * table, another OS. The real /proc is used by test/net/intercept/client-process.test.ts.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { clientProcessLookup } from '../../../src-main/core/intercept/client-process';

let root: string;

const HEADER = '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n';

/** One /proc/net/tcp line: local port → remote port, with its inode. */
function tcpLine(localPort: number, remotePort: number, inode: number): string {
  const hex = (port: number): string => port.toString(16).toUpperCase().padStart(4, '0');
  return `   0: 0100007F:${hex(localPort)} 0100007F:${hex(remotePort)} 01 00000000:00000000 00:00000000 00000000  1000        0 ${inode} 1 0000000000000000 20 4 30 10 -1\n`;
}

function tcp6Line(localPort: number, remotePort: number, inode: number): string {
  const hex = (port: number): string => port.toString(16).toUpperCase().padStart(4, '0');
  const loopback = '00000000000000000000000001000000';
  return `   0: ${loopback}:${hex(localPort)} ${loopback}:${hex(remotePort)} 01 00000000:00000000 00:00000000 00000000  1000        0 ${inode} 1 0000000000000000 20 4 30 10 -1\n`;
}

function processDir(pid: number, name: string, links: Record<string, string>): void {
  const fdDir = path.join(root, String(pid), 'fd');
  fs.mkdirSync(fdDir, { recursive: true });
  fs.writeFileSync(path.join(root, String(pid), 'comm'), `${name}\n`);
  for (const [fd, target] of Object.entries(links)) fs.symlinkSync(target, path.join(fdDir, fd));
}

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'tunnelscope-proc-'));
  fs.mkdirSync(path.join(root, 'net'));
});

afterEach(() => {
  for (const dir of fs.readdirSync(root)) fs.chmodSync(path.join(root, dir), 0o755);
  fs.rmSync(root, { recursive: true, force: true });
});

describe.skipIf(process.platform === 'win32')('which process a client connection is', () => {
  it('finds the process that holds the client end (local = client port, remote = proxy port), not the proxy end', async () => {
    fs.writeFileSync(path.join(root, 'net', 'tcp'), HEADER + tcpLine(8899, 51000, 111) + tcpLine(51000, 8899, 222));
    fs.writeFileSync(path.join(root, 'net', 'tcp6'), HEADER + tcp6Line(52000, 8899, 333));
    processDir(10, 'tunnelscope', { '3': 'socket:[111]', '0': '/dev/null' });
    processDir(20, 'curl', { '5': 'socket:[222]' });
    processDir(30, 'java', { '7': 'pipe:[333]', '8': 'socket:[333]' });
    const lookup = clientProcessLookup({ platform: 'linux', procRoot: root });
    const [v4, v6, none] = await Promise.all([
      lookup({ clientPort: 51000, proxyPort: 8899 }),
      lookup({ clientPort: 52000, proxyPort: 8899 }),
      lookup({ clientPort: 53000, proxyPort: 8899 }),
    ]);
    expect(v4).toEqual({ pid: 20, name: 'curl' });
    expect(v6).toEqual({ pid: 30, name: 'java' });
    expect(none).toBeUndefined();
  });

  it('another user\'s process (its fd folder unreadable) is unknown, and so is a process gone before its name was read', async () => {
    fs.writeFileSync(path.join(root, 'net', 'tcp'), HEADER + tcpLine(51000, 8899, 222) + tcpLine(51001, 8899, 223));
    processDir(20, 'curl', { '5': 'socket:[222]' });
    fs.chmodSync(path.join(root, '20', 'fd'), 0o000);
    processDir(21, 'gone', { '5': 'socket:[223]' });
    fs.rmSync(path.join(root, '21', 'comm'));
    const lookup = clientProcessLookup({ platform: 'linux', procRoot: root });
    // Root reads any folder whatever its mode: then only the second case is checked.
    if (process.getuid?.() !== 0) expect(await lookup({ clientPort: 51000, proxyPort: 8899 })).toBeUndefined();
    expect(await lookup({ clientPort: 51001, proxyPort: 8899 })).toBeUndefined();
  });

  it('past many links (read in slices) it still finds the client, and the event loop runs between slices', async () => {
    fs.writeFileSync(path.join(root, 'net', 'tcp'), HEADER + tcpLine(51000, 8899, 222));
    const many: Record<string, string> = {};
    for (let fd = 0; fd < 300; fd++) many[String(fd)] = `socket:[${100000 + fd}]`;
    processDir(10, 'busy', many);
    processDir(20, 'curl', { '5': 'socket:[222]' });
    const lookup = clientProcessLookup({ platform: 'linux', procRoot: root });
    let turns = 0;
    let counting = true;
    const count = (): void => {
      turns += 1;
      if (counting) setImmediate(count);
    };
    setImmediate(count);
    const found = await lookup({ clientPort: 51000, proxyPort: 8899 });
    counting = false;
    expect(found).toEqual({ pid: 20, name: 'curl' });
    // 301 links, 128 a turn: at least two turns went to the rest of the process meanwhile.
    expect(turns).toBeGreaterThanOrEqual(2);
  });

  it('a damaged or missing table is unknown, never an error', async () => {
    fs.writeFileSync(path.join(root, 'net', 'tcp'), `${HEADER}garbage line\n   1: 0100007F:ZZZZ 0100007F:22C3 01 x x x x x notanumber\n`);
    processDir(20, 'curl', { '5': 'socket:[222]' });
    const lookup = clientProcessLookup({ platform: 'linux', procRoot: root });
    expect(await lookup({ clientPort: 51000, proxyPort: 8899 })).toBeUndefined();
    const nowhere = clientProcessLookup({ platform: 'linux', procRoot: path.join(root, 'missing') });
    expect(await nowhere({ clientPort: 51000, proxyPort: 8899 })).toBeUndefined();
  });

  it('on another OS nothing is read: unknown', async () => {
    const lookup = clientProcessLookup({ platform: 'darwin', procRoot: root });
    fs.writeFileSync(path.join(root, 'net', 'tcp'), HEADER + tcpLine(51000, 8899, 222));
    processDir(20, 'curl', { '5': 'socket:[222]' });
    expect(await lookup({ clientPort: 51000, proxyPort: 8899 })).toBeUndefined();
  });
});
