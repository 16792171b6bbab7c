/**
 * The parts of a `ws` WebSocket that the capture (socket-capture.ts) and the intercept's tap
 * (intercept/raw-frame-tap.ts) read the socket through. `ws` has no public hook for taking
 * over its socket's reading, so both replace its `data` listener and write to its receiver;
 * this is the one place that checks those internals look as expected (else neither installs).
 */
import type { Duplex } from 'node:stream';
import type WebSocket from 'ws';

/** The part of ws's receiver (a Writable) that is read and written to. */
export interface WsReceiver {
  write(chunk: Buffer): boolean;
  readonly writableEnded: boolean;
  /** Set as soon as a write fails (the 'error' event follows on the next tick). */
  readonly errored: Error | null;
  _state: number;
  _bufferedBytes: number;
  _fragmented: number;
  _maxPayload: number;
  _skipUTF8Validation: boolean;
}

export type DataListener = (chunk: Buffer) => void;

export interface WsParts {
  socket: Duplex;
  receiver: WsReceiver;
  listener: DataListener;
}

/**
 * ws's socket, receiver and data listener, when they are as expected and the receiver is
 * between frames, outside any fragmented message (where a takeover can start reading).
 * `clientOnly`: undefined for a server's WebSocket too.
 */
export function wsParts(ws: WebSocket, options: { clientOnly: boolean }): WsParts | undefined {
  const inner = ws as unknown as { _socket?: unknown; _receiver?: unknown; _isServer?: unknown };
  const socket = inner._socket;
  const receiver = inner._receiver;
  if (options.clientOnly && inner._isServer !== false) return undefined;
  if (!isDuplex(socket) || !isReceiver(receiver)) return undefined;
  if (receiver._state !== 0 || receiver._bufferedBytes !== 0 || receiver._fragmented !== 0) return undefined;
  const listener = socket.listeners('data').find((candidate) => typeof candidate === 'function' && candidate.name === 'socketOnData');
  if (typeof listener !== 'function') return undefined;
  return { socket, receiver, listener: listener as DataListener };
}

function isDuplex(value: unknown): value is Duplex {
  return typeof value === 'object' && value !== null && typeof (value as Duplex).write === 'function' && typeof (value as Duplex).listeners === 'function';
}

function isReceiver(value: unknown): value is WsReceiver {
  if (typeof value !== 'object' || value === null) return false;
  const r = value as Record<string, unknown>;
  return (
    typeof r.write === 'function' &&
    typeof r.writableEnded === 'boolean' &&
    r.errored === null &&
    typeof r._state === 'number' &&
    typeof r._bufferedBytes === 'number' &&
    typeof r._fragmented === 'number' &&
    typeof r._maxPayload === 'number' &&
    typeof r._skipUTF8Validation === 'boolean'
  );
}
