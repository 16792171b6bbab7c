/**
 * A Node HTTP server whose header limit a big Cookie passes answers the upgrade with 431: the
 * failure says the request's headers are too large, their total and the biggest header
 * (measured as sent: the secret Cookie's real length, its value nowhere in the error).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { newEngine, openSession } from '../real-proxies/session-driver';

let server: http.Server;
beforeAll(async () => {
  server = http.createServer({ maxHeaderSize: 4096 }, (_req, res) => res.end());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

it('431 → UPGRADE_REJECTED saying the headers are too large, with the total and the biggest', async () => {
  const engine = newEngine();
  try {
    const secret = 's'.repeat(6000);
    const port = (server.address() as AddressInfo).port;
    const session = await openSession(engine, {
      url: `ws://127.0.0.1:${port}/`,
      proxy: { mode: 'none' },
      headers: [{ name: 'Cookie', value: secret, secret: true }],
    });
    expect(session.opened).toBe(false);
    expect(session.error?.details.upgradeResponse?.startLine).toMatch(/^HTTP\/1\.1 431 /);
    expect(session.error).toMatchObject({ stage: 'upgrade', code: 'UPGRADE_REJECTED' });
    expect(session.error?.message).toMatch(/: the request's headers are too large for it \(\d+ bytes \(\d+\.\d KiB\) of header lines; the biggest is Cookie, 6010 bytes \(5\.9 KiB\)\)\.$/);
    expect(session.error?.hint).toMatch(/^Make the request's headers smaller: shorten or remove Cookie/);
    expect(JSON.stringify(session.error)).not.toContain(secret);
  } finally {
    await engine.dispose();
  }
});
