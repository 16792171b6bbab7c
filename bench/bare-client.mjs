// The baseline for bench part (7): a bare Node `ws` client in its own process, run as a user
// runs a client, printing each message as the CLI's `--json` prints a frame. Plain JavaScript
// (no tsx start-up).
//   node bench/bare-client.mjs <ws://url> [<http://proxy>]
//
// What it writes, and why that is the fair baseline: the same lines the CLI writes for this
// flood, built the same way (one object per message with seq, dir, opcode, size, at and the
// text, JSON.stringify), `{"type":"state","state":"open"}` at open and a `closed` line at the
// end, with what the cheapest such client does for output: the lines of one socket read are
// written to stdout together (one write per event-loop turn, not one per message). It does no
// more: no storing, no redaction, no escaping for a terminal. Same ws options as the engine's
// client (WS_OPTIONS in capture-flood.ts). With a proxy: one CONNECT, then ws over the tunnel.
import http from 'node:http';
import WebSocket from 'ws';

const [url, proxy] = process.argv.slice(2);
const WS_OPTIONS = { perMessageDeflate: false, skipUTF8Validation: false, maxPayload: 100 * 1024 * 1024, autoPong: false };

let pending = '';
let scheduled = false;
function flush() {
  scheduled = false;
  if (pending === '') return;
  process.stdout.write(pending);
  pending = '';
}
function line(text) {
  pending += `${text}\n`;
  if (!scheduled) {
    scheduled = true;
    setImmediate(flush);
  }
}

function tunnel(target, proxyUrl) {
  const { hostname, port } = new URL(target);
  const authority = `${hostname}:${port}`;
  const proxyAt = new URL(proxyUrl);
  return new Promise((resolve, reject) => {
    const request = http.request({ host: proxyAt.hostname, port: proxyAt.port, method: 'CONNECT', path: authority, headers: { host: authority } });
    request.once('connect', (response, socket) => {
      if (response.statusCode === 200) resolve(socket);
      else reject(new Error(`proxy answered ${response.statusCode}`));
    });
    request.once('error', reject);
    request.end();
  });
}

const socket = proxy ? await tunnel(url, proxy) : undefined;
const client = new WebSocket(url, socket ? { ...WS_OPTIONS, createConnection: () => socket } : WS_OPTIONS);
let seq = 0;
client.on('open', () => line('{"type":"state","state":"open"}'));
client.on('message', (data, isBinary) => {
  seq += 1;
  const size = data.length;
  const frame = { type: 'frame', seq, dir: 'in', opcode: isBinary ? 'binary' : 'text', size, at: Date.now() };
  if (isBinary) frame.base64 = data.toString('base64');
  else frame.text = data.toString('utf8');
  line(JSON.stringify(frame));
});
client.on('error', (error) => {
  process.stderr.write(`bare client: ${error.message}\n`);
  process.exitCode = 1;
});
client.on('close', (code, reason) => {
  line(JSON.stringify({ type: 'closed', code, reason: reason.toString('utf8'), wasClean: true, initiatedBy: 'server' }));
  flush();
});
