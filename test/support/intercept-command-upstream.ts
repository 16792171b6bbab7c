/**
 * What a test of the `intercept` command run in process needs beside it: a data folder for the
 * CA, the test CA's certificate as an `--ca` file, and a wss:// echo server (localhost) that
 * certificate trusts. One call in `beforeAll`, `close()` in `afterAll`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { testCa, trustedServer, writePems, type PemDir } from './certs';
import { startEchoServer, type EchoServer } from './echo-server';

export interface InterceptCommandUpstream {
  dataDir: string;
  /** Holds `upstream-ca.pem`, for `--ca`. */
  pems: PemDir;
  echo: EchoServer;
  close(): Promise<void>;
}

export async function startInterceptCommandUpstream(name: string): Promise<InterceptCommandUpstream> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `tunnelscope-cli-intercept-${name}-`));
  const pems = await writePems({ 'upstream-ca.pem': testCa().cert });
  const server = trustedServer();
  const echo = await startEchoServer({ tls: { cert: server.cert, key: server.key, hostname: 'localhost' } });
  return {
    dataDir,
    pems,
    echo,
    close: async () => {
      await Promise.all([echo.close(), pems.cleanup()]);
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
