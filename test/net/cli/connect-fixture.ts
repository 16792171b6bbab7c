/**
 * The set-up of the CLI `connect` tests that run on a real Engine: what a test opens (engine,
 * echo server, a ws server of its own, a profiles folder) is closed after it, engine first.
 * Call `useConnectFixture()` at the top of a test file.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { afterEach } from 'vitest';
import { WebSocketServer, type RawData, type ServerOptions, type WebSocket } from 'ws';
import { runConnect } from '../../../src-main/cli/connect-command';
import { parseCommandLine } from '../../../src-main/cli/parse-args';
import { Engine, type EngineOptions } from '../../../src-main/core/engine';
import { KeyFileCipher } from '../../../src-main/core/secrets/keyfile-cipher';
import { startEchoServer, type EchoServer } from '../../support/echo-server';
import { ManualClock } from '../../support/manual-clock';
import { fakeIo, type FakeIo } from '../../unit/cli/fake-engine';
import { makeTempDir } from '../../unit/profiles/profile-fixtures';

export interface ConnectFixture {
  /** An echo server on 127.0.0.1, closed after the test. */
  startEcho(): Promise<EchoServer>;
  /** A CLI engine (batches every 5 ms), disposed after the test. */
  engine(options?: Partial<EngineOptions>): Engine;
  /** A CLI engine whose profiles live in a fresh temporary folder (key-file secrets), removed after the test. */
  engineWithProfiles(): Engine;
  /**
   * A ws server on 127.0.0.1 at `path`: each connection's text messages in `received` (one list
   * a connection, in order), `onText` answering them; closed after the test.
   */
  startWsServer(path: string, onText: (ws: WebSocket, text: string, index: number) => void, options?: Omit<ServerOptions, 'server'>): Promise<{ url: string; received: string[][] }>;
  /**
   * `connect <echo> --no-proxy <args>` on a ManualClock, advanced 250 ms a turn until the run
   * ends; `written` is stdout and stderr in the order written.
   */
  runOnClock(args: string[]): Promise<{ code: number; io: FakeIo; written: string }>;
}

export function useConnectFixture(): ConnectFixture {
  let engine: Engine | undefined;
  let echo: EchoServer | undefined;
  let server: http.Server | undefined;
  let temp: ReturnType<typeof makeTempDir> | undefined;

  afterEach(async () => {
    await engine?.dispose();
    engine = undefined;
    await echo?.close();
    echo = undefined;
    server?.closeAllConnections();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    server = undefined;
    temp?.cleanup();
    temp = undefined;
  });

  const fixture: ConnectFixture = {
    async startEcho() {
      echo = await startEchoServer();
      return echo;
    },
    engine(options = {}) {
      engine = new Engine({ host: 'cli', version: '1', env: {}, batch: { intervalMs: 5 }, ...options });
      return engine;
    },
    engineWithProfiles() {
      temp = makeTempDir();
      return fixture.engine({ profiles: { dataDir: temp.dir, cipher: KeyFileCipher.open(temp.dir) } });
    },
    async startWsServer(path, onText, options = {}) {
      const received: string[][] = [];
      const http1 = http.createServer();
      server = http1;
      const wss = new WebSocketServer({ ...options, server: http1 });
      wss.on('connection', (ws) => {
        const mine: string[] = [];
        const index = received.push(mine) - 1;
        ws.on('message', (data: RawData) => {
          const text = (Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data instanceof ArrayBuffer ? new Uint8Array(data) : data)).toString('utf8');
          mine.push(text);
          onText(ws, text, index);
        });
      });
      await new Promise<void>((resolve) => http1.listen(0, '127.0.0.1', resolve));
      return { url: `ws://127.0.0.1:${(http1.address() as AddressInfo).port}${path}`, received };
    },
    async runOnClock(args) {
      const { url } = await fixture.startEcho();
      const clock = new ManualClock();
      const running = fixture.engine({ clock });
      const command = parseCommandLine(['connect', url, '--no-proxy', ...args]);
      if (command.kind !== 'connect') throw new Error('expected connect');
      const io = fakeIo();
      let written = '';
      io.stdout.on('data', (chunk: Buffer) => (written += chunk.toString('utf8')));
      io.stderr.on('data', (chunk: Buffer) => (written += chunk.toString('utf8')));
      let code: number | undefined;
      void runConnect(command, running, io).then((exit) => (code = exit));
      // Drive the fake time while the run goes on (the sockets answer in between).
      for (let i = 0; i < 5000 && code === undefined; i++) {
        clock.advance(250);
        await nextTurn();
      }
      if (code === undefined) throw new Error(`the run did not end; stderr: ${io.stderrText()}`);
      return { code, io, written };
    },
  };
  return fixture;
}
