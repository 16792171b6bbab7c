// The benchmark's WebSocket server, in its own process so its work does not share the event
// loop being measured. Plain JavaScript (no tsx start-up). Prints {"port":…} once listening.
//   node bench/server-child.mjs echo                              echo every message back (ws)
//   node bench/server-child.mjs flood <n> <size> [binary]         n text (or binary) messages of size bytes, then close 1000
//   node bench/server-child.mjs rate <perSecond> <seconds> <size> [on-message]
//                                                                 a steady stream (every 10 ms), then close 1000;
//                                                                 with on-message, from the client's first message
//
// The flood is framed once, before anyone connects, and written raw after the 101: the server
// then costs almost nothing per message, so the client being measured is the bottleneck.
import { createHash } from 'node:crypto';
import http from 'node:http';
import { WebSocketServer } from 'ws';

const [mode = 'echo', first = '0', second = '100', third = '100'] = process.argv.slice(2);
const binary = process.argv[5] === 'binary';
const server = http.createServer((_request, response) => response.end());

if (mode === 'flood') {
  const flood = framedFlood(Number(first), Number(second), binary ? 0x82 : 0x81);
  server.on('upgrade', (request, socket) => {
    socket.on('error', () => socket.destroy());
    const key = String(request.headers['sec-websocket-key'] ?? '');
    const accept = createHash('sha1').update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
    socket.setNoDelay(true);
    socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
    socket.write(flood);
    // Close 1000 "flood done"; the client's answering close ends the connection.
    socket.write(Buffer.concat([Buffer.from([0x88, 12, 0x03, 0xe8]), Buffer.from('flood done')]));
    socket.on('data', () => socket.end());
  });
} else {
  const wss = new WebSocketServer({ server, perMessageDeflate: false, maxPayload: 256 * 1024 * 1024 });
  wss.on('connection', (socket) => {
    socket.on('error', () => socket.terminate());
    if (mode === 'echo') {
      socket.on('message', (data, isBinary) => socket.send(data, { binary: isBinary }));
      return;
    }
    // rate: first = messages per second, second = seconds, third = size
    const perTick = Math.max(1, Math.round(Number(first) / 100));
    const total = Number(first) * Number(second);
    const pad = 'x'.repeat(Math.max(0, Number(third) - 24));
    let sent = 0;
    let timer;
    const stream = () => {
      timer = setInterval(() => {
        for (let i = 0; i < perTick && sent < total; i++) {
          socket.send(`{"n":${sent},"pad":"${pad}"}`);
          sent += 1;
        }
        if (sent >= total) {
          clearInterval(timer);
          socket.close(1000, 'stream done');
        }
      }, 10);
    };
    if (process.argv[6] === 'on-message') socket.once('message', stream);
    else stream();
    socket.on('close', () => clearInterval(timer));
  });
}

/** n unmasked frames (text 0x81 or binary 0x82) of `size` ASCII bytes each (size < 126), one Buffer. */
function framedFlood(n, size, first) {
  const frame = 2 + size;
  const out = Buffer.alloc(n * frame, 0x61);
  for (let i = 0; i < n; i++) {
    const at = i * frame;
    out[at] = first;
    out[at + 1] = size;
    out.write(String(i).padStart(10, '0'), at + 2, 'latin1');
  }
  return out;
}

server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`${JSON.stringify({ port: typeof address === 'object' && address ? address.port : 0 })}\n`);
});
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
