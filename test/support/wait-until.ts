/**
 * Polling helpers for network tests: wait until something has happened (with a generous
 * deadline, since a loaded CI machine is slow, and a test asserts what happened, not when),
 * and check that a port on 127.0.0.1 refuses connections (nothing left listening).
 */
import net from 'node:net';

/** Long enough for a starved 2-core machine; only reached when the thing never happens. */
export const WAIT_MS = 30_000;

/** Resolves with the first value `pick` gives that is neither undefined nor false; a throw in `pick` rejects. */
export function waitUntil<T>(what: string, pick: () => T | undefined | false, waitMs = WAIT_MS): Promise<T> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const poll = (): void => {
      let value: T | undefined | false;
      try {
        value = pick();
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
        return;
      }
      if (value !== undefined && value !== false) return resolve(value);
      if (Date.now() - started > waitMs) return reject(new Error(`${what} did not happen within ${waitMs} ms`));
      setTimeout(poll, 10);
    };
    poll();
  });
}

/** True when a connection to 127.0.0.1:port is refused. */
export function portRefuses(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'));
  });
}
