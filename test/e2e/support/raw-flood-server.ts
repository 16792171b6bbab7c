/**
 * A WebSocket server for the scale tests that writes `count` text frames as raw bytes right
 * after the 101 (framed once, before anyone connects), then a close 1000, so a million frames
 * arrive in a second or two instead of the server being the bottleneck. Frame n (from 1) says
 * `frame 0000000n` padded with dots to `size` bytes. 127.0.0.1 only, port 0.
 */
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface RawFloodServer {
  url: string;
  close(): Promise<void>;
}

const WS_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

export async function startRawFloodServer(count: number, size = 40): Promise<RawFloodServer> {
  if (size < 16 || size > 125) throw new Error('size must fit a 7-bit length and hold the label');
  const frames = Buffer.alloc(count * (2 + size), 0x2e);
  for (let i = 0; i < count; i++) {
    const at = i * (2 + size);
    frames[at] = 0x81; // FIN + text
    frames[at + 1] = size;
    frames.write(`frame ${String(i + 1).padStart(10, '0')}`, at + 2, 'latin1');
  }
  const closeFrame = Buffer.concat([Buffer.from([0x88, 12, 0x03, 0xe8]), Buffer.from('flood done')]);
  const sockets = new Set<Socket>();
  const server = http.createServer((_request, response) => response.end());
  server.on('upgrade', (request, socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    const key = String(request.headers['sec-websocket-key'] ?? '');
    const accept = createHash('sha1').update(`${key}${WS_GUID}`).digest('base64');
    socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
    socket.write(frames);
    socket.write(closeFrame);
    // The client's answering close ends the connection.
    socket.on('data', () => socket.end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}/million`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
