/**
 * A raw TCP server on 127.0.0.1 for upgrade and frame tests: it reads the client's upgrade
 * request and lets the test answer with whatever bytes it wants (a wrong accept key, a 403,
 * nothing at all), then write hand-made frames. Close it with `close()` in afterEach.
 */
import { createHash } from 'node:crypto';
import net from 'node:net';

export interface RawUpgrade {
  socket: net.Socket;
  /** The request head as received (request line and headers). */
  head: string;
  /** Sec-WebSocket-Key from the request ('' if missing). */
  key: string;
  /** A request header's value (case-insensitive), or undefined. */
  header(name: string): string | undefined;
}

export interface RawServer {
  port: number;
  url: string;
  sockets: Set<net.Socket>;
  close(): Promise<void>;
}

export function acceptFor(key: string): string {
  return createHash('sha1').update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
}

/** `HTTP/1.1 101 …` with a correct accept key and any extra header lines. */
export function switchingProtocols(key: string, extra: string[] = []): string {
  return [
    'HTTP/1.1 101 Switching Protocols',
    'Upgrade: websocket',
    'Connection: Upgrade',
    `Sec-WebSocket-Accept: ${acceptFor(key)}`,
    ...extra,
    '',
    '',
  ].join('\r\n');
}

/** An unmasked server frame (FIN set) with the given opcode and payload. */
export function serverFrame(opcode: number, payload: Buffer | string, fin = true): Buffer {
  const body = typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload;
  const first = (fin ? 0x80 : 0) | opcode;
  let header: Buffer;
  if (body.length < 126) {
    header = Buffer.from([first, body.length]);
  } else if (body.length < 65536) {
    header = Buffer.alloc(4);
    header[0] = first;
    header[1] = 126;
    header.writeUInt16BE(body.length, 2);
  } else {
    header = Buffer.alloc(10);
    header[0] = first;
    header[1] = 127;
    header.writeBigUInt64BE(BigInt(body.length), 2);
  }
  return Buffer.concat([header, body]);
}

export function closeFrame(code: number, reason = ''): Buffer {
  const body = Buffer.alloc(2 + Buffer.byteLength(reason));
  body.writeUInt16BE(code, 0);
  body.write(reason, 2);
  return serverFrame(0x8, body);
}

/** Starts a server that calls `onUpgrade` once each client's request head has arrived. */
export async function startRawServer(onUpgrade: (upgrade: RawUpgrade) => void): Promise<RawServer> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    let received = Buffer.alloc(0);
    const onData = (chunk: Buffer): void => {
      received = Buffer.concat([received, chunk]);
      const end = received.indexOf('\r\n\r\n');
      if (end < 0) return;
      socket.removeListener('data', onData);
      const head = received.toString('latin1', 0, end);
      const rest = received.subarray(end + 4);
      if (rest.length > 0) socket.unshift(rest);
      const header = (name: string): string | undefined => {
        const lower = name.toLowerCase();
        for (const line of head.split('\r\n').slice(1)) {
          const colon = line.indexOf(':');
          if (colon > 0 && line.slice(0, colon).trim().toLowerCase() === lower) return line.slice(colon + 1).trim();
        }
        return undefined;
      };
      onUpgrade({ socket, head, key: header('sec-websocket-key') ?? '', header });
    };
    socket.on('data', onData);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    port,
    url: `ws://127.0.0.1:${port}/`,
    sockets,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A plain TCP connection to 127.0.0.1:port, resolved once connected. */
export function connectTo(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => resolve(socket));
    socket.once('error', reject);
  });
}

export interface ClientFrame {
  opcode: number;
  payload: Buffer;
}

/**
 * Parses the (masked) frames a client sends on `socket` after the upgrade and calls
 * `onFrame` for each. Enough for tests: no fragmentation, payloads under 64 KiB.
 */
export function readClientFrames(socket: net.Socket, onFrame: (frame: ClientFrame) => void): void {
  let buffered = Buffer.alloc(0);
  socket.on('data', (chunk: Buffer) => {
    buffered = Buffer.concat([buffered, chunk]);
    for (;;) {
      if (buffered.length < 2) return;
      const opcode = (buffered[0] ?? 0) & 0x0f;
      const masked = ((buffered[1] ?? 0) & 0x80) !== 0;
      let length = (buffered[1] ?? 0) & 0x7f;
      let offset = 2;
      if (length === 126) {
        if (buffered.length < 4) return;
        length = buffered.readUInt16BE(2);
        offset = 4;
      }
      const maskLength = masked ? 4 : 0;
      if (buffered.length < offset + maskLength + length) return;
      const mask = buffered.subarray(offset, offset + maskLength);
      const payload = Buffer.from(buffered.subarray(offset + maskLength, offset + maskLength + length));
      if (masked) for (let i = 0; i < payload.length; i++) payload[i] = (payload[i] ?? 0) ^ (mask[i % 4] ?? 0);
      buffered = buffered.subarray(offset + maskLength + length);
      onFrame({ opcode, payload });
    }
  });
}
