/**
 * A minimal HTTP CONNECT proxy on 127.0.0.1, in this process (as the benchmark asks) but on a
 * worker thread: a real proxy runs on other CPUs than the client, and copying every byte four
 * more times on the engine's own event loop would measure the proxy, not the tunnel. It reads
 * the request head, connects to the target, answers 200, and relays both ways.
 *
 * The worker's code is plain JavaScript in a string (a worker started with `eval` gets no
 * TypeScript loader).
 */
import { Worker } from 'node:worker_threads';

export interface ConnectProxy {
  port: number;
  url: string;
  close(): Promise<void>;
}

const PROXY_SOURCE = `
const net = require('node:net');
const { parentPort } = require('node:worker_threads');
const LIMIT = 4 * 1024 * 1024;
// Forwards each chunk as it arrives, pausing the reader only past 4 MiB of unwritten data.
function relay(from, to) {
  from.on('data', (chunk) => {
    if (!to.write(chunk) && to.writableLength > LIMIT) {
      from.pause();
      to.once('drain', () => from.resume());
    }
  });
  from.on('end', () => to.end());
}
const server = net.createServer((client) => {
  client.setNoDelay(true);
  client.on('error', () => client.destroy());
  let head = Buffer.alloc(0);
  const onData = (chunk) => {
    head = Buffer.concat([head, chunk]);
    const end = head.indexOf('\\r\\n\\r\\n');
    if (end < 0) return;
    client.off('data', onData);
    const [method, target] = head.subarray(0, end).toString('latin1').split('\\r\\n')[0].split(' ');
    const rest = head.subarray(end + 4);
    const colon = target ? target.lastIndexOf(':') : -1;
    if (method !== 'CONNECT' || colon < 0) return client.end('HTTP/1.1 405 Method Not Allowed\\r\\n\\r\\n');
    const upstream = net.connect(Number(target.slice(colon + 1)), target.slice(0, colon).replace(/^\\[|\\]$/g, ''));
    upstream.setNoDelay(true);
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    upstream.once('connect', () => {
      client.write('HTTP/1.1 200 Connection established\\r\\n\\r\\n');
      if (rest.length > 0) upstream.write(rest);
      relay(client, upstream);
      relay(upstream, client);
    });
  };
  client.on('data', onData);
});
server.listen(0, '127.0.0.1', () => parentPort.postMessage(server.address().port));
`;

export function startConnectProxy(): Promise<ConnectProxy> {
  const worker = new Worker(PROXY_SOURCE, { eval: true });
  return new Promise((resolve, reject) => {
    worker.once('error', reject);
    worker.once('message', (port: unknown) => {
      const value = typeof port === 'number' ? port : 0;
      resolve({
        port: value,
        url: `http://127.0.0.1:${value}`,
        close: async () => {
          await worker.terminate();
        },
      });
    });
  });
}
