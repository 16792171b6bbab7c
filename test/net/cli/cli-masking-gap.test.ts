/**
 * The CLI run as a user runs it, against a server whose burst outruns a small --keep-frames:
 * the store evicts the first frames before their batch is built, so the first frame printed is
 * not #1 and the CLI never sees the start of a STOMP CONNECT that was cut inside its passcode.
 * The rest of it (the passcode's end) must be printed masked, as an export of the session masks
 * it (cli/frame-masking.ts after a seq gap), not read afresh and printed in clear.
 */
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { spawnCli, stopCliProcesses } from '../../support/cli-process';
import { closeFrame, serverFrame, startRawServer, switchingProtocols, type RawServer } from '../../support/raw-ws-server';

const PASS = 'Net-Gap-Passcode-40871';
const CONNECT = `CONNECT\naccept-version:1.2\nhost:/\nlogin:guest\npasscode:${PASS}\n\n\0`;
/** Cut four bytes into the passcode: the first part holds "Net-", the rest the other 18. */
const CUT = CONNECT.indexOf(PASS) + 4;
/** --keep-frames' least: the rest and the frames after it fill the store, the first part is evicted. */
const KEEP = 100;
const AFTER = KEEP - 1;

let server: RawServer;

beforeAll(async () => {
  const message = (i: number): Buffer => serverFrame(0x1, `MESSAGE\nsubscription:0\ndestination:/queue/a\nmessage-id:${i}\n\nvisible-${i}\0`);
  // One write, so one socket read: captured (and the first part evicted) before any batch goes out.
  const burst = Buffer.concat([serverFrame(0x1, CONNECT.slice(0, CUT)), serverFrame(0x1, CONNECT.slice(CUT)), ...Array.from({ length: AFTER }, (_, i) => message(i))]);
  server = await startRawServer(({ socket, key }) => {
    socket.write(switchingProtocols(key, ['Sec-WebSocket-Protocol: v12.stomp']));
    socket.write(burst);
    // The CLI closes after --count messages: answer and end.
    socket.once('data', () => socket.end(closeFrame(1000, 'done')));
  });
});

afterAll(async () => {
  await server.close();
});

afterEach(stopCliProcesses);

it('a flood evicting the start of a STOMP CONNECT before it is printed: the rest of its passcode printed masked', async () => {
  const run = spawnCli(['connect', server.url, '--no-proxy', '--json', '--subprotocol', 'v12.stomp', '--keep-frames', String(KEEP), '--count', String(AFTER + 1)], { stdin: 'ignore' });
  const { code, stdout } = await run.done;
  expect(code).toBe(0);
  const frames = stdout
    .split('\n')
    .filter((line) => line.startsWith('{"type":"frame"'))
    .map((line) => JSON.parse(line) as { seq: number; text?: string });
  // The gap is real: #1 (the CONNECT's start) was evicted before its batch, #2 is the first printed.
  expect(frames[0]?.seq).toBe(2);
  const rest = CONNECT.slice(CUT);
  expect(frames[0]?.text).toBe(rest.replace(/[^\n\0]/g, '*'));
  expect(stdout).not.toContain(PASS.slice(4));
  expect(stdout).not.toContain(PASS.slice(4, 10));
  // The frames after it are read as STOMP again: printed as they are.
  expect(frames.find((frame) => frame.seq === AFTER + 2)?.text).toContain(`visible-${AFTER - 1}`);
}, 60_000);

it('the same in the human output: the rest of the passcode printed as *', async () => {
  const run = spawnCli(['connect', server.url, '--no-proxy', '--decode', 'none', '--subprotocol', 'v12.stomp', '--keep-frames', String(KEEP), '--count', String(AFTER + 1)], { stdin: 'ignore' });
  const { code, stdout } = await run.done;
  expect(code).toBe(0);
  expect(stdout).toContain('*'.repeat(PASS.length - 4));
  expect(stdout).not.toContain(PASS.slice(4, 10));
  expect(stdout).toContain(`visible-${AFTER - 1}`);
}, 60_000);
