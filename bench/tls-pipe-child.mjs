// The intercept benchmark's TLS-only baseline, in its own process (plain JavaScript, no tsx
// start-up): an HTTP proxy that answers CONNECT, terminates the client's TLS with a certificate
// the client trusts, opens TLS to the target and pipes the bytes both ways. It is what any
// TLS-terminating proxy in Node costs (two TLS legs, the reads and writes), with no WebSocket
// work and no capture. Prints {"port":…} once listening on 127.0.0.1; ends when its stdin closes.
//   node bench/tls-pipe-child.mjs <cert.pem> <key.pem> <ca.pem>
import fs from 'node:fs';
import http from 'node:http';
import tls from 'node:tls';

const [certFile, keyFile, caFile] = process.argv.slice(2);
const secureContext = tls.createSecureContext({ cert: fs.readFileSync(certFile), key: fs.readFileSync(keyFile) });
const ca = fs.readFileSync(caFile);
const server = http.createServer();
server.on('connect', (request, socket, head) => {
  const authority = request.url ?? '';
  const colon = authority.lastIndexOf(':');
  const host = authority.slice(0, colon);
  const port = Number(authority.slice(colon + 1));
  socket.setNoDelay(true);
  socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
  if (head.length > 0) socket.unshift(head);
  // The same TLS as the intercept's client side: TLS 1.2–1.3, ALPN http/1.1, Node's default ciphers.
  const front = new tls.TLSSocket(socket, { isServer: true, secureContext, ALPNProtocols: ['http/1.1'] });
  const back = tls.connect({ host, port, servername: host, ca, ALPNProtocols: ['http/1.1'] });
  back.setNoDelay(true);
  const cut = () => {
    front.destroy();
    back.destroy();
  };
  front.on('error', cut);
  back.on('error', cut);
  front.on('close', cut);
  back.on('close', cut);
  front.pipe(back);
  back.pipe(front);
});
server.listen(0, '127.0.0.1', () => process.stdout.write(`${JSON.stringify({ port: server.address().port })}\n`));
process.stdin.on('end', () => process.exit(0));
// The bench stops it with Ctrl-C as well: a clean exit, so a --cpu-prof profile is written.
process.on('SIGINT', () => process.exit(0));
process.stdin.resume();
