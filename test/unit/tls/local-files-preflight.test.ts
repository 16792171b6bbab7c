/**
 * The local-files preflight (core/tls/local-files.ts): every file a connection needs is checked
 * at once and every bad one is named in one LOCAL_FILE_UNREADABLE (missing, a directory, not
 * PEM, no certificate in it, no permission: staged as root by a child running as nobody); a key that does not fit its certificate is
 * reported before the network too; files the connection cannot need are not read.
 */
import { execFile } from 'node:child_process';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NetFailure } from '../../../src-main/core/errors/net-failure';
import { loadLocalFiles, type LocalFileOptions } from '../../../src-main/core/tls/local-files';
import { netErrorSchema } from '../../../src-main/shared/errors';
import { hintFor } from '../../../src-main/shared/hint-text';
import { clientCertificate, testCa, writePems, type PemDir } from '../../support/certs';

let pems: PemDir;
const secure = { host: 'echo.test', port: 443, secure: true };
const direct = { mode: 'none' } as const;
/** Root reads any file whatever its mode: permission denied cannot be staged as root. */
const isRoot = process.getuid?.() === 0;

beforeAll(async () => {
  pems = await writePems({
    'ca.pem': testCa().cert,
    'client.pem': clientCertificate().cert,
    'client.key': clientCertificate().key,
    'notes.txt': 'this is not a certificate\n',
    'key-only.pem': clientCertificate().key,
    'locked.pem': testCa().cert,
  });
  await mkdir(pems.path('a-folder'));
});

afterAll(async () => {
  await pems.cleanup();
});

async function failureOf(loading: unknown) {
  const error: unknown = await Promise.resolve(loading).then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof NetFailure)) throw new Error(`expected a NetFailure, got ${String(error)}`);
  return error.netError;
}

function options(tls: LocalFileOptions['tls'], more: Partial<LocalFileOptions> = {}): LocalFileOptions {
  return { tls, proxyCaFiles: [], proxy: direct, ...more };
}

describe('loadLocalFiles: every bad file at once', () => {
  it('names each bad file and what is wrong with it, in the order of the settings', async () => {
    const error = await failureOf(
      loadLocalFiles(
        options(
          {
            caFiles: [pems.path('gone.pem'), pems.path('ca.pem'), pems.path('a-folder'), pems.path('notes.txt'), pems.path('key-only.pem')],
            certFile: pems.path('no-cert.pem'),
            keyFile: pems.path('a-folder'),
            insecure: false,
          },
          { proxyCaFiles: [pems.path('notes.txt')], proxy: { mode: 'manual', url: 'https://127.0.0.1:3129' } },
        ),
        secure,
      ),
    );
    expect([error.stage, error.code]).toEqual(['tls', 'LOCAL_FILE_UNREADABLE']);
    expect(error.details).toMatchObject({ file: pems.path('gone.pem'), cause: 'ENOENT' });
    expect(error.message).toBe(
      '7 local files could not be used: ' +
        [
          `the CA file "${pems.path('gone.pem')}" does not exist`,
          `the CA file "${pems.path('a-folder')}" is a directory, not a file`,
          `the CA file "${pems.path('notes.txt')}": it is not PEM (no "-----BEGIN" line)`,
          `the CA file "${pems.path('key-only.pem')}": it is PEM but holds no certificate ("-----BEGIN CERTIFICATE-----")`,
          `the client certificate file "${pems.path('no-cert.pem')}" does not exist`,
          `the client key file "${pems.path('a-folder')}" is a directory, not a file`,
          `the proxy CA file "${pems.path('notes.txt')}": it is not PEM (no "-----BEGIN" line)`,
        ].join('; ') +
        '.',
    );
  });

  it("the hint points at each setting where it is set: the app's fields, the CLI's flags", async () => {
    const error = await failureOf(
      loadLocalFiles(
        options({ caFiles: [pems.path('gone.pem')], insecure: false }, { proxyCaFiles: [pems.path('notes.txt')], proxy: { mode: 'system' } }),
        secure,
      ),
    );
    expect(hintFor(error, { host: 'app' })).toBe(
      'Fix or remove the extra CA files (TLS → Extra CA files in the connection options) and the proxy CA files (TLS → Proxy CA files in the connection options). ' +
        'Check each path and that the file is readable by this user; give PEM files (text starting with "-----BEGIN CERTIFICATE-----").',
    );
    expect(hintFor(error, { host: 'cli' })).toContain('the extra CA files (--ca <file.pem>) and the proxy CA files (--proxy-ca <file.pem>)');
  });

  it('one bad file reads as before: "The CA file could not be used: …"', async () => {
    const error = await failureOf(loadLocalFiles(options({ caFiles: [pems.path('gone.pem')], insecure: false }), secure));
    expect(error.message).toBe(`The CA file could not be used: "${pems.path('gone.pem')}" does not exist.`);
    expect(error.hint).toBe('Fix or remove the extra CA files. Check each path and that the file is readable by this user.');
  });

  it('a key that belongs to another certificate is listed with the bad files', async () => {
    const error = await failureOf(
      loadLocalFiles(options({ caFiles: [pems.path('gone.pem')], certFile: pems.path('ca.pem'), keyFile: pems.path('client.key'), insecure: false }), secure),
    );
    expect(error.code).toBe('LOCAL_FILE_UNREADABLE');
    expect(error.message).toContain(`; the client key file "${pems.path('client.key')}": the key does not belong to the certificate (CN=Tunnelscope Test CA`);
  });

  it('alone, a key that does not fit its certificate is TLS_CLIENT_CERT_INVALID, still before the network', async () => {
    const error = await failureOf(loadLocalFiles(options({ caFiles: [], certFile: pems.path('ca.pem'), keyFile: pems.path('client.key'), insecure: false }), secure));
    expect([error.stage, error.code, error.details.target]).toEqual(['tls', 'TLS_CLIENT_CERT_INVALID', 'echo.test:443']);
    expect(error.message).toContain('the key does not belong to the certificate');
  });

  it.skipIf(isRoot)('a file without read permission is listed as such (skipped as root: root reads any file)', async () => {
    await chmod(pems.path('locked.pem'), 0o000);
    try {
      const error = await failureOf(loadLocalFiles(options({ caFiles: [pems.path('locked.pem'), pems.path('gone.pem')], insecure: false }), secure));
      expect(error.message).toContain(`the CA file "${pems.path('locked.pem')}" is not readable by this user (permission denied)`);
      expect(error.details.cause).toBe('EACCES');
    } finally {
      await chmod(pems.path('locked.pem'), 0o600);
    }
  });

  it.runIf(isRoot)('as root: a file only root may read is listed as permission denied when the check runs as nobody', async () => {
    // A child as uid 65534 runs the preflight on a root-owned 0600 file in a folder anyone may enter.
    const dir = await mkdtemp(path.join(tmpdir(), 'tunnelscope-perm-'));
    try {
      await chmod(dir, 0o755);
      await writeFile(path.join(dir, 'root-only.pem'), testCa().cert, { mode: 0o600 });
      const script = path.join(dir, 'preflight.mts');
      const module = fileURLToPath(new URL('../../../src-main/core/tls/local-files.ts', import.meta.url));
      await writeFile(
        script,
        `import { loadLocalFiles } from ${JSON.stringify(module)};\n` +
          `loadLocalFiles({ tls: { caFiles: process.argv.slice(2), insecure: false }, proxyCaFiles: [], proxy: { mode: 'none' } }, { host: 'h', port: 1, secure: true })` +
          `.then(() => console.log('{}'), (e) => console.log(JSON.stringify(e.netError)));\n`,
        { mode: 0o644 },
      );
      const child = await runAsNobody([script, path.join(dir, 'root-only.pem'), path.join(dir, 'gone.pem')]);
      const error = netErrorSchema.parse(JSON.parse(child));
      expect(error.message).toBe(
        `2 local files could not be used: the CA file "${path.join(dir, 'root-only.pem')}" is not readable by this user (permission denied); ` +
          `the CA file "${path.join(dir, 'gone.pem')}" does not exist.`,
      );
      expect(error.details.cause).toBe('EACCES');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

/** Runs node (with tsx, from the repository) as uid/gid 65534; resolves with its stdout. */
function runAsNobody(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--import', 'tsx', ...args], { uid: 65534, gid: 65534, cwd: process.cwd() }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${error.message}\n${stderr}`));
      else resolve(stdout);
    });
  });
}

describe('loadLocalFiles: only what the connection can need', () => {
  it('a ws:// target reads no TLS file', async () => {
    const files = await loadLocalFiles(options({ caFiles: [pems.path('gone.pem')], insecure: false }), { ...secure, secure: false });
    expect(files).toEqual({ tls: undefined, proxyCa: [] });
  });

  it('proxy CA files are not read with no proxy or a manual http:// proxy, and are with any other', async () => {
    const bad = { proxyCaFiles: [pems.path('gone.pem')] };
    const tls = { caFiles: [], insecure: false };
    expect((await loadLocalFiles(options(tls, { ...bad, proxy: direct }), secure)).proxyCa).toEqual([]);
    expect((await loadLocalFiles(options(tls, { ...bad, proxy: { mode: 'manual', url: 'http://127.0.0.1:3128' } }), secure)).proxyCa).toEqual([]);
    for (const proxy of [{ mode: 'manual', url: 'HTTPS://127.0.0.1:3129' }, { mode: 'system' }, { mode: 'env' }, { mode: 'auto' }] as const) {
      const error = await failureOf(loadLocalFiles(options(tls, { ...bad, proxy }), secure));
      expect([proxy.mode, error.stage, error.details.file]).toEqual([proxy.mode, 'proxy-tls', pems.path('gone.pem')]);
    }
    const good = await loadLocalFiles(options(tls, { proxyCaFiles: [pems.path('ca.pem')], proxy: { mode: 'system' } }), secure);
    expect(good.proxyCa.map((b) => b.toString())).toEqual([testCa().cert]);
  });
});
