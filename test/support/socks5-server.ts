/**
 * A minimal SOCKS5 server for tests (RFC 1928 CONNECT, RFC 1929 user/password), on
 * 127.0.0.1 port 0. It records each request and either refuses it with a chosen reply code
 * or connects it to a local port, whatever host name was asked for.
 *
 *   const socks = await startSocks5Server({ forwardTo: target.port, auth: { username, password } });
 */
import net from 'node:net';

export interface Socks5ServerOptions {
  /** Require these credentials (method 0x02); without, only "no authentication" is accepted. */
  auth?: { username: string; password: string };
  /** Reply code to every CONNECT (0 = succeeded, 2 = connection not allowed by ruleset, …). */
  reply?: number;
  /** Local port every granted CONNECT is joined to. */
  forwardTo?: number;
  /** Bytes to send right after a success reply, in the same write (tests early tunnel bytes). */
  earlyBytes?: Buffer;
  /** Read the greeting and never answer it. */
  silent?: boolean;
}

export interface SeenSocksRequest {
  methods: number[];
  username?: string;
  password?: string;
  /** 1 = IPv4, 3 = host name, 4 = IPv6. */
  addressType?: number;
  host?: string;
  port?: number;
}

export interface Socks5Server {
  port: number;
  requests: SeenSocksRequest[];
  /** Client connections still open on the server side. */
  openSockets(): number;
  close(): Promise<void>;
}

/** Pulls exactly `n` bytes off a byte queue fed by 'data' events. */
class ByteReader {
  private buffer = Buffer.alloc(0);
  private waiter: (() => void) | undefined;
  private ended = false;

  constructor(socket: net.Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.buffer = Buffer.concat([this.buffer, chunk]);
      this.waiter?.();
    });
    socket.on('close', () => {
      this.ended = true;
      this.waiter?.();
    });
  }

  async take(n: number): Promise<Buffer> {
    while (this.buffer.length < n) {
      if (this.ended) throw new Error('closed');
      await new Promise<void>((resolve) => {
        this.waiter = resolve;
      });
      this.waiter = undefined;
    }
    const out = this.buffer.subarray(0, n);
    this.buffer = this.buffer.subarray(n);
    return out;
  }

  rest(): Buffer {
    const out = this.buffer;
    this.buffer = Buffer.alloc(0);
    return out;
  }
}

function byte(buffer: Buffer, index: number): number {
  return buffer[index] ?? 0;
}

export async function startSocks5Server(options: Socks5ServerOptions = {}): Promise<Socks5Server> {
  const requests: SeenSocksRequest[] = [];
  const sockets = new Set<net.Socket>();

  const serve = async (socket: net.Socket, reader: ByteReader): Promise<void> => {
    const seen: SeenSocksRequest = { methods: [] };
    requests.push(seen);
    const greeting = await reader.take(2);
    seen.methods = [...(await reader.take(byte(greeting, 1)))];
    if (options.silent) return;
    if (options.auth) {
      if (!seen.methods.includes(0x02)) {
        socket.end(Buffer.from([0x05, 0xff]));
        return;
      }
      socket.write(Buffer.from([0x05, 0x02]));
      const version = await reader.take(2);
      seen.username = (await reader.take(byte(version, 1))).toString();
      const passwordLength = await reader.take(1);
      seen.password = (await reader.take(byte(passwordLength, 0))).toString();
      const ok = seen.username === options.auth.username && seen.password === options.auth.password;
      if (!ok) {
        socket.end(Buffer.from([0x01, 0x01]));
        return;
      }
      socket.write(Buffer.from([0x01, 0x00]));
    } else {
      socket.write(Buffer.from([0x05, 0x00]));
    }

    const head = await reader.take(4);
    seen.addressType = byte(head, 3);
    if (seen.addressType === 0x01) seen.host = [...(await reader.take(4))].join('.');
    else if (seen.addressType === 0x03) seen.host = (await reader.take(byte(await reader.take(1), 0))).toString();
    else seen.host = (await reader.take(16)).toString('hex');
    seen.port = (await reader.take(2)).readUInt16BE(0);

    const reply = options.reply ?? 0;
    if (reply !== 0 || options.forwardTo === undefined) {
      socket.end(Buffer.from([0x05, reply === 0 ? 0x01 : reply, 0x00, 0x01, 0, 0, 0, 0, 0, 0]));
      return;
    }
    const upstream = net.connect({ host: '127.0.0.1', port: options.forwardTo });
    sockets.add(upstream);
    upstream.on('error', () => socket.destroy());
    upstream.on('close', () => {
      sockets.delete(upstream);
      socket.destroy();
    });
    socket.on('close', () => upstream.destroy());
    upstream.once('connect', () => {
      const granted = Buffer.from([0x05, 0x00, 0x00, 0x01, 127, 0, 0, 1, 0, 0]);
      granted.writeUInt16BE(upstream.localPort ?? 0, 8);
      socket.write(options.earlyBytes ? Buffer.concat([granted, options.earlyBytes]) : granted);
      const pending = reader.rest();
      if (pending.length > 0) upstream.write(pending);
      socket.removeAllListeners('data');
      socket.pipe(upstream);
      upstream.pipe(socket);
    });
  };

  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
    const reader = new ByteReader(socket);
    serve(socket, reader).catch(() => socket.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('socks server has no port');

  return {
    port: address.port,
    requests,
    openSockets: () => sockets.size,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
