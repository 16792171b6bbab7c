/** Shared pieces for the profile tests: a temporary data folder and a profile with every field set. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { Engine } from '../../../src-main/core/engine';
import { KeyFileCipher } from '../../../src-main/core/secrets/keyfile-cipher';
import { profileCommandSchemas, type ProfileInputDraft } from '../../../src-main/shared/profiles';

/** Secrets that must never show up anywhere but where they belong. */
export const SECRETS = {
  proxyPassword: 'pr0xy-PASSWORD-1f3a',
  headerToken: 'Bearer tok-SECRET-9c2e',
  passphrase: 'key-PASSPHRASE-77ab',
} as const;

export function makeTempDir(prefix = 'tunnelscope-profiles-'): { dir: string; cleanup(): void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/**
 * For each test of the file that calls it: a web-host engine whose profiles live in a fresh
 * temporary folder (key-file secrets), disposed and removed after the test.
 */
export function engineWithProfilesPerTest(): { readonly engine: Engine; readonly dir: string } {
  let temp: ReturnType<typeof makeTempDir> | undefined;
  let engine: Engine | undefined;
  beforeEach(() => {
    temp = makeTempDir();
    engine = new Engine({ host: 'web', version: '0.0.0-test', env: {}, profiles: { dataDir: temp.dir, cipher: KeyFileCipher.open(temp.dir) } });
  });
  afterEach(async () => {
    await engine?.dispose();
    temp?.cleanup();
    engine = undefined;
    temp = undefined;
  });
  return {
    get engine(): Engine {
      if (!engine) throw new Error('the profiles engine exists only inside a test');
      return engine;
    },
    get dir(): string {
      if (!temp) throw new Error('the profiles folder exists only inside a test');
      return temp.dir;
    },
  };
}

/** Every field of a profile, with all three kinds of secret. */
export function fullProfileInput(name = 'Staging gateway'): ProfileInputDraft {
  return {
    name,
    url: 'wss://staging.example:8443/socket?v=2',
    headers: [
      { name: 'Authorization', secret: true, value: { value: SECRETS.headerToken } },
      { name: 'X-Client', secret: false, value: 'tunnelscope-test' },
    ],
    subprotocols: ['graphql-transport-ws', 'graphql-ws'],
    origin: 'https://app.example',
    proxy: {
      mode: 'manual',
      url: 'http://proxy.corp:3128',
      pac: { kind: 'url', url: 'http://wpad.corp/proxy.pac' },
      username: 'alice',
      password: { value: SECRETS.proxyPassword },
      caFiles: ['/etc/ssl/corp-proxy-ca.pem'],
    },
    tls: {
      caFiles: ['/etc/ssl/corp-root.pem', '/etc/ssl/corp-intermediate.pem'],
      insecure: true,
      certFile: '/home/alice/client.pem',
      keyFile: '/home/alice/client-key.pem',
      passphrase: { value: SECRETS.passphrase },
    },
    handshakeTimeoutMs: 4321,
    reconnect: { enabled: true, initialDelayMs: 500, maxDelayMs: 20_000, maxAttempts: 7 },
    history: { maxFrames: 250_000, maxBytes: 64 * 1024 * 1024 },
    savedMessages: [
      { name: 'hello', kind: 'text', body: 'hello there' },
      { name: 'subscribe', kind: 'json', body: '{"op":"subscribe","topic":"a"}' },
      { name: 'bytes', kind: 'binary', body: 'AAECAwQ=' },
    ],
  };
}

/** A minimal valid profile. */
export function plainProfileInput(name: string, url = 'ws://127.0.0.1:9/'): ProfileInputDraft {
  return { name, url, proxy: { mode: 'none' }, tls: {} };
}

/** Fails the test with the Result's error when it is not ok. */
export function valueOf<T>(result: { ok: true; value: T } | { ok: false; error: { message: string } }): T {
  if (!result.ok) throw new Error(`expected ok, got: ${result.error.message}`);
  return result.value;
}

export function errorOf(result: { ok: boolean; error?: unknown }): { code: string; message: string; path?: string } {
  if (result.ok) throw new Error('expected a failure, got ok');
  const error = result.error;
  if (typeof error !== 'object' || error === null || !('code' in error) || !('message' in error)) throw new Error('no error in the result');
  return {
    code: String(error.code),
    message: String(error.message),
    ...('path' in error && typeof error.path === 'string' ? { path: error.path } : {}),
  };
}

/** A profiles:save argument with the contract's defaults applied (as the engine receives it). */
export function saveArg(profile: ProfileInputDraft, expectedRevision?: number) {
  return profileCommandSchemas['profiles:save'].arg.parse(expectedRevision === undefined ? { profile } : { profile, expectedRevision });
}
