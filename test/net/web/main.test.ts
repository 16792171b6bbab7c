/**
 * The web host's entry point as a process (the run's build of `src-main/web/main.ts`, or the
 * source through tsx: test/support/node-entry.ts): the URL line,
 * `--port 0` reporting the real port, usage errors (exit 2), --tls (an https URL, the certificate fingerprint, the same one next run) and Ctrl-C closing it down.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CERT_FILE } from '../../../src-main/web/tls-certificate';
import { nodeEntryArgs } from '../../support/node-entry';

const root = path.resolve(import.meta.dirname, '..', '..', '..');
let site: string;

beforeAll(() => {
  site = mkdtempSync(path.join(tmpdir(), 'tunnelscope-web-main-'));
  writeFileSync(path.join(site, 'index.html'), '<!doctype html><title>T</title>');
});
afterAll(() => rmSync(site, { recursive: true, force: true }));

interface Run {
  stdout: string;
  stderr: string;
  code: number | null;
}

function launch(args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, [...nodeEntryArgs('src-main/web/main.ts'), ...args], {
    cwd: root,
    // Profiles go to a temp folder with the key-file cipher: never the user's own config
    // folder or OS keyring.
    env: { ...process.env, TUNNELSCOPE_RENDERER_DIR: site, TUNNELSCOPE_DATA_DIR: path.join(site, 'data'), TUNNELSCOPE_SECRET_STORE: 'keyfile', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const run: Run = { stdout: '', stderr: '', code: null };
  child.stdout.on('data', (chunk: Buffer) => (run.stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (run.stderr += chunk.toString('utf8')));
  const exited = new Promise<Run>((resolve) =>
    child.once('exit', (code) => {
      run.code = code;
      resolve(run);
    }),
  );
  return { child, run, exited };
}

/** Polls `check` every 50 ms, up to `attempts` times (a wait, not a measurement). */
async function until(check: () => boolean, attempts = 300): Promise<void> {
  for (let attempt = 0; !check(); attempt += 1) {
    if (attempt >= attempts) throw new Error(`the condition was still false after ${attempts} checks`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function get(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    http.get(url, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    }).on('error', reject);
  });
}

const URL_LINE = /^http:\/\/127\.0\.0\.1:(\d+)\/\?token=[A-Za-z0-9_-]{32}$/m;

describe('npm run web (main.ts)', () => {
  it('prints the URL with the token on a line of its own, with the real port for --port 0, and stops on SIGINT', async () => {
    const { child, run, exited } = launch(['--port', '0']);
    try {
      await until(() => URL_LINE.test(run.stdout));
      const match = URL_LINE.exec(run.stdout);
      const port = Number(match?.[1]);
      expect(port).toBeGreaterThan(0);
      expect(run.stderr).not.toContain('not to loopback');
      // The page itself (with the cookie); its first script strips the token from the address.
      expect(await get(match?.[0] ?? '')).toBe(200);
      expect(await get(`http://127.0.0.1:${port}/`)).toBe(401);
      child.kill('SIGINT');
      const done = await exited;
      expect(done.code).toBe(0);
      expect(done.stderr).toContain('closing sessions');
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });

  it.each([
    [['--port', 'abc'], '--port must be a whole number'],
    [['--bogus'], "Unknown option '--bogus'"],
    [['--host', 'not a host'], '--host must be an IP address or a host name'],
    [['--host', '0.0.0.0'], '--host 0.0.0.0 is not a loopback address: add --tls'],
    [['--tls', '--insecure-http'], '--tls and --insecure-http contradict each other'],
    [['--max-message-mb', '0'], '--max-message-mb must be a whole number of MiB'],
  ])('%j exits 2 with the message and the usage', async (args, message) => {
    const done = await launch(args).exited;
    expect(done.code).toBe(2);
    expect(done.stderr).toContain(message);
    expect(done.stderr).toContain('usage: npm run web -- [--port <n>] [--host <addr>]');
  });

  it('--tls: an https URL and the certificate fingerprint; the next run reuses the certificate (same fingerprint)', async () => {
    const dataDir = path.join(site, 'tls-data');
    const HTTPS_LINE = /^https:\/\/127\.0\.0\.1:(\d+)\/\?token=[A-Za-z0-9_-]{32}$/m;
    const FINGERPRINT = /^SHA-256 fingerprint: ((?:[0-9A-F]{2}:){31}[0-9A-F]{2})$/m;
    const runOnce = async (): Promise<{ fingerprint: string; stdout: string; status: number }> => {
      const { child, run, exited } = launch(['--port', '0', '--tls'], { TUNNELSCOPE_DATA_DIR: dataDir });
      try {
        await until(() => HTTPS_LINE.test(run.stdout) && FINGERPRINT.test(run.stdout));
        const url = HTTPS_LINE.exec(run.stdout)?.[0] ?? '';
        const ca = readFileSync(path.join(dataDir, CERT_FILE), 'utf8');
        const status = await new Promise<number>((resolve, reject) => {
          https.get(url, { ca }, (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          }).on('error', reject);
        });
        child.kill('SIGINT');
        expect((await exited).code).toBe(0);
        return { fingerprint: FINGERPRINT.exec(run.stdout)?.[1] ?? '', stdout: run.stdout, status };
      } finally {
        if (child.exitCode === null) child.kill('SIGKILL');
      }
    };
    const first = await runOnce();
    expect(first.status).toBe(200);
    expect(first.stdout).toContain('A new certificate was made because there was none yet');
    const second = await runOnce();
    expect(second.status).toBe(200);
    expect(second.fingerprint).toBe(first.fingerprint);
    expect(second.stdout).not.toContain('A new certificate was made');
  });

  it('--tls with a data folder it cannot write: exit 1, saying where and why', async () => {
    const notAFolder = path.join(site, 'a-file-not-a-folder');
    writeFileSync(notAFolder, 'x');
    const done = await launch(['--port', '0', '--tls'], { TUNNELSCOPE_DATA_DIR: notAFolder }).exited;
    expect(done.code).toBe(1);
    expect(done.stderr).toContain(`cannot make or store the TLS certificate in ${notAFolder}`);
    expect(done.stdout).not.toContain('https://');
  });

  it('says how to build when the UI is missing (exit 1)', async () => {
    const done = await launch(['--port', '0'], { TUNNELSCOPE_RENDERER_DIR: path.join(site, 'missing') }).exited;
    expect(done.code).toBe(1);
    expect(done.stderr).toContain('npm run build');
  });

  it('explains a port that is in use (exit 1)', async () => {
    const blocker = http.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const address = blocker.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    try {
      const done = await launch(['--port', String(port)]).exited;
      expect(done.code).toBe(1);
      expect(done.stderr).toContain(`port ${port} is in use`);
    } finally {
      blocker.close();
    }
  });
});
