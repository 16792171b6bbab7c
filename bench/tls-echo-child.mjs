// The intercept benchmark's wss:// echo server, in its own process (plain JavaScript, no tsx
// start-up). Prints {"port":…} once listening on 127.0.0.1; ends when its stdin closes.
//   node bench/tls-echo-child.mjs <cert.pem> <key.pem>
import fs from 'node:fs';
import https from 'node:https';
import { WebSocketServer } from 'ws';

const [certFile, keyFile] = process.argv.slice(2);
const server = https.createServer({ cert: fs.readFileSync(certFile), key: fs.readFileSync(keyFile) });
const wss = new WebSocketServer({ server, perMessageDeflate: false, maxPayload: 64 * 1024 * 1024 });
wss.on('connection', (socket) => {
  socket.on('error', () => socket.terminate());
  socket.on('message', (data, isBinary) => socket.send(data, { binary: isBinary }));
});
server.on('secureConnection', (socket) => {
  socket.setNoDelay(true);
  // The TLS each route's last leg reached the server with (the bench checks they are the same).
  process.stdout.write(`${JSON.stringify({ tls: `${socket.getProtocol() ?? '?'} ${socket.getCipher().name}` })}\n`);
});
server.listen(0, '127.0.0.1', () => process.stdout.write(`${JSON.stringify({ port: server.address().port })}\n`));
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
