// The benchmark's WebSocket server, in its own process so its work does not share the event
// loop being measured. Plain JavaScript (no tsx start-up). Prints {"port":…} once listening.
//   node bench/server-child.mjs echo                              echo every message back (ws)
//   node bench/server-child.mjs flood <n> <size> [binary]         n text (or binary) messages of size bytes, then close 1000
//   node bench/server-child.mjs rate <perSecond> <seconds> <size> [on-message]
//                                                                 a steady stream (what is due every 10 ms), then close 1000;
//                                                                 with on-message, from the client's first message
//
// The flood is framed once, before anyone connects, and written raw after the 101: the server
// then costs almost nothing per message, so the client being measured is the bottleneck. The
// rate stream is framed here too, each tick's due messages in one write, and paced by the
// clock (a late tick sends what fell due meanwhile): sent through ws one by one, 100,000
// messages a second cost this process 0.4 s of CPU a second and a late timer lowered the rate,
// so on a loaded machine the stream fell short of the rate asked for.
import { createHash } from 'node:crypto';
import http from 'node:http';
import { WebSocketServer } from 'ws';

const [mode = 'echo', first = '0', second = '100', third = '100'] = process.argv.slice(2);
const binary = process.argv[5] === 'binary';
const server = http.createServer((_request, response) => response.end());

if (mode === 'flood') {
  const flood = framedFlood(Number(first), Number(second), binary ? 0x82 : 0x81);
  acceptRaw((socket) => {
    socket.write(flood);
    // Close 1000 "flood done"; the client's answering close ends the connection.
    socket.write(closeFrame('flood done'));
    socket.on('data', () => socket.end());
  });
} else if (mode === 'rate') {
  const perSecond = Number(first);
  const total = perSecond * Number(second);
  const pad = 'x'.repeat(Math.max(0, Number(third) - 24));
  const onMessage = process.argv[6] === 'on-message';
  acceptRaw((socket) => {
    let sent = 0;
    let timer;
    let startedAt = 0;
    const tick = () => {
      // What is due by now, not a fixed count per tick: a late tick catches up.
      const due = Math.min(total, Math.floor(((performance.now() - startedAt) * perSecond) / 1000));
      if (due > sent) {
        socket.write(framedTexts(sent, due, pad));
        sent = due;
      }
      if (sent >= total) {
        clearInterval(timer);
        timer = undefined;
        socket.write(closeFrame('stream done'));
      }
    };
    const start = () => {
      startedAt = performance.now();
      timer = setInterval(tick, 10);
    };
    let started = false;
    // Anything the client sends after the upgrade (its first message, then its answering close).
    socket.on('data', () => {
      if (!started && onMessage) {
        started = true;
        start();
      } else if (sent >= total) socket.end();
    });
    socket.on('close', () => clearInterval(timer));
    if (!onMessage) {
      started = true;
      start();
    }
  });
} else {
  const wss = new WebSocketServer({ server, perMessageDeflate: false, maxPayload: 256 * 1024 * 1024 });
  wss.on('connection', (socket) => {
    socket.on('error', () => socket.terminate());
    socket.on('message', (data, isBinary) => socket.send(data, { binary: isBinary }));
  });
}

/** Answers each upgrade with a 101 itself and hands over the raw socket (the flood and rate modes write pre-framed bytes). */
function acceptRaw(onSocket) {
  server.on('upgrade', (request, socket) => {
    socket.on('error', () => socket.destroy());
    const key = String(request.headers['sec-websocket-key'] ?? '');
    const accept = createHash('sha1').update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
    socket.setNoDelay(true);
    socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
    onSocket(socket);
  });
}

/** A close frame with code 1000 and a short reason (under 124 bytes). */
function closeFrame(reason) {
  const text = Buffer.from(reason);
  return Buffer.concat([Buffer.from([0x88, 2 + text.length, 0x03, 0xe8]), text]);
}

/** Unmasked text frames {"n":from,"pad":…} … {"n":to-1,…} in one Buffer (ASCII payloads under 126 bytes). */
function framedTexts(from, to, pad) {
  const longest = `{"n":${to},"pad":"${pad}"}`.length;
  if (longest >= 126) throw new Error('rate mode frames payloads under 126 bytes');
  const out = Buffer.allocUnsafe((to - from) * (2 + longest));
  let at = 0;
  for (let n = from; n < to; n++) {
    const text = `{"n":${n},"pad":"${pad}"}`;
    out[at] = 0x81;
    out[at + 1] = text.length;
    at += 2 + out.write(text, at + 2, 'latin1');
  }
  return out.subarray(0, at);
}

/** n unmasked frames (text 0x81 or binary 0x82) of `size` ASCII bytes each, one Buffer. */
function framedFlood(n, size, first) {
  // The header's length field: 7 bits, or 126 and 16 bits, or 127 and 64 bits (RFC 6455 5.2).
  const header = size < 126 ? 2 : size < 65536 ? 4 : 10;
  const frame = header + size;
  const out = Buffer.alloc(n * frame, 0x61);
  for (let i = 0; i < n; i++) {
    const at = i * frame;
    out[at] = first;
    if (header === 2) out[at + 1] = size;
    else if (header === 4) {
      out[at + 1] = 126;
      out.writeUInt16BE(size, at + 2);
    } else {
      out[at + 1] = 127;
      out.writeBigUInt64BE(BigInt(size), at + 2);
    }
    out.write(String(i).padStart(10, '0'), at + header, 'latin1');
  }
  return out;
}

server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`${JSON.stringify({ port: typeof address === 'object' && address ? address.port : 0 })}\n`);
});
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
