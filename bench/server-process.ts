/** Starts bench/server-child.mjs and returns its port; `stop()` ends it. */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const CHILD = path.join(path.dirname(fileURLToPath(import.meta.url)), 'server-child.mjs');

export interface ServerProcess {
  port: number;
  url: string;
  stop(): Promise<void>;
}

export function startServerProcess(args: string[]): Promise<ServerProcess> {
  const child = spawn(process.execPath, [CHILD, ...args], { stdio: ['pipe', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let buffered = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error('the benchmark server did not start within 10 s'));
    }, 10_000);
    child.once('error', reject);
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const newline = buffered.indexOf('\n');
      if (newline < 0) return;
      clearTimeout(timer);
      const parsed: unknown = JSON.parse(buffered.slice(0, newline));
      const port = typeof parsed === 'object' && parsed !== null && 'port' in parsed && typeof parsed.port === 'number' ? parsed.port : 0;
      resolve({
        port,
        url: `ws://127.0.0.1:${port}/`,
        stop: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null) return done();
            child.once('exit', () => done());
            child.stdin.end();
            setTimeout(() => child.kill('SIGKILL'), 2000).unref();
          }),
      });
    });
  });
}
