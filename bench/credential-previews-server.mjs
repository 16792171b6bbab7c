// The credential-previews bench's server, in its own process: a flood of pre-framed unmasked
// text messages after a raw 101, then close 1000.
//   node bench/credential-previews-server.mjs <plain|stomp|stomp-auth> <n>
// plain: 100 B of JSON-ish ASCII; stomp: a CONNECTED then STOMP MESSAGE frames of about 100 B;
// stomp-auth: the same with an authorization header on every MESSAGE (each one masked).
import { createHash } from 'node:crypto';
import http from 'node:http';

const [kind = 'plain', count = '100000'] = process.argv.slice(2);
const n = Number(count);

function message(i) {
  const id = String(i).padStart(10, '0');
  if (kind === 'plain') return `{"n":"${id}","pad":"${'x'.repeat(100 - 22)}"}`;
  if (i === 0) return 'CONNECTED\nversion:1.2\n\n\0';
  const auth = kind === 'stomp-auth' ? 'authorization:abcdef\n' : '';
  return `MESSAGE\ndestination:/topic/a\nmessage-id:${id}\nsubscription:0\n${auth}\n${'y'.repeat(30)}\0`;
}

const parts = [];
for (let i = 0; i < n; i++) {
  const text = Buffer.from(message(i), 'latin1');
  parts.push(Buffer.from([0x81, text.length]), text);
}
const flood = Buffer.concat(parts);
const server = http.createServer((_request, response) => response.end());
server.on('upgrade', (request, socket) => {
  socket.on('error', () => socket.destroy());
  const key = String(request.headers['sec-websocket-key'] ?? '');
  const accept = createHash('sha1').update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
  socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
  socket.write(flood);
  socket.write(Buffer.from([0x88, 2, 0x03, 0xe8]));
  socket.on('data', () => socket.end());
});
server.listen(0, '127.0.0.1', () => process.stdout.write(`${JSON.stringify({ port: server.address().port })}\n`));
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
