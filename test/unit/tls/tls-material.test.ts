/**
 * Loading the TLS setting's files: each bad file ends in LOCAL_FILE_UNREADABLE at the
 * stage that needs it, naming the file and the reason; checkPemFile gives the same verdict
 * without throwing (for the CLI's usage checks).
 */
import { chmod, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NetFailure } from '../../../src-main/core/errors/net-failure';
import { loadLocalFiles } from '../../../src-main/core/tls/local-files';
import { checkPemFile } from '../../../src-main/core/tls/tls-material';
import { clientCertificate, testCa, unknownTestCa, writePems, type PemDir } from '../../support/certs';

let pems: PemDir;

beforeAll(async () => {
  const client = clientCertificate();
  const ca = testCa().cert;
  // A certificate whose base64 body is damaged but whose PEM armour is intact.
  const damaged = ca.replace(/\n[A-Za-z0-9+/]{20}/, '\n!!!!!!!!!!!!!!!!!!!!');
  pems = await writePems({
    'ca.pem': ca,
    'bundle.pem': ca + unknownTestCa().cert,
    'client.pem': client.cert,
    'client.key': client.key,
    'notes.txt': 'this is not a certificate\n',
    'ca.der': '',
    'damaged.pem': damaged,
    'no-access.pem': ca,
  });
  // DER: the binary form of the same certificate.
  const der = Buffer.from(ca.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');
  await writeFile(pems.path('ca.der'), der);
});

afterAll(async () => {
  await pems.cleanup();
});

/** The NetError a rejected promise carries (fails the test if it resolves or throws something else). */
async function failureOf(loading: unknown) {
  const error: unknown = await Promise.resolve(loading).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(NetFailure);
  if (!(error instanceof NetFailure)) throw new Error('expected a NetFailure');
  return error.netError;
}

describe('checkPemFile', () => {
  it('accepts a PEM certificate and a bundle of two', () => {
    const one = checkPemFile(pems.path('ca.pem'));
    expect(one.ok).toBe(true);
    if (one.ok) expect(one.data.toString()).toBe(testCa().cert);
    expect(checkPemFile(pems.path('bundle.pem')).ok).toBe(true);
  });

  it('accepts a private key file as a key', () => {
    expect(checkPemFile(pems.path('client.key'), 'private-key').ok).toBe(true);
  });

  it.each([
    ['missing.pem', 'certificate', 'missing', 'does not exist'],
    ['notes.txt', 'certificate', 'not-pem', 'not PEM'],
    ['ca.der', 'certificate', 'not-pem', 'DER'],
    ['damaged.pem', 'certificate', 'not-pem', 'damaged'],
    ['client.key', 'certificate', 'not-pem', 'holds no certificate'],
    ['client.pem', 'private-key', 'not-pem', 'holds no private key'],
  ] as const)('%s as %s → %s (%s)', (name, kind, reason, text) => {
    const result = checkPemFile(pems.path(name), kind);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.reason).toBe(reason);
      expect(result.message).toContain(pems.path(name));
      expect(result.message).toContain(text);
    }
  });

  it('a directory → not-a-file', () => {
    const result = checkPemFile(pems.dir);
    expect(result).toMatchObject({ ok: false, reason: 'not-a-file' });
    if (!result.ok) expect(result.message).toContain('is a directory');
  });

  it('a path through a file (ENOTDIR) → missing', () => {
    expect(checkPemFile(`${pems.path('ca.pem')}/inside.pem`)).toMatchObject({ ok: false, reason: 'missing' });
  });

  // Tests usually run as root in CI containers, and root reads a chmod 000 file anyway, so
  // the permission case can only be exercised as an ordinary user; the directory and
  // non-PEM cases above cover "exists but cannot be used" for root.
  const isRoot = process.getuid?.() === 0;
  it.skipIf(isRoot)('a file without read permission → permission (skipped as root: root may read any file)', async () => {
    await chmod(pems.path('no-access.pem'), 0o000);
    const result = checkPemFile(pems.path('no-access.pem'));
    expect(result).toMatchObject({ ok: false, reason: 'permission', cause: 'EACCES' });
    await chmod(pems.path('no-access.pem'), 0o600);
  });
});

describe('loadLocalFiles (one file at a time)', () => {
  const target = { host: 'echo.test', port: 443, secure: true };
  const direct = { mode: 'none' } as const;

  it('loads CA files, client certificate, key and passphrase', async () => {
    const files = await loadLocalFiles(
      {
        tls: {
          caFiles: [pems.path('ca.pem'), pems.path('bundle.pem')],
          certFile: pems.path('client.pem'),
          keyFile: pems.path('client.key'),
          passphrase: 'pw',
          insecure: false,
        },
        proxyCaFiles: [],
        proxy: direct,
      },
      target,
    );
    const material = files.tls;
    expect(material?.ca.map((b: Buffer) => b.toString())).toEqual([testCa().cert, testCa().cert + unknownTestCa().cert]);
    expect(material?.cert?.toString()).toBe(clientCertificate().cert);
    expect(material?.key?.toString()).toBe(clientCertificate().key);
    expect(material?.passphrase).toBe('pw');
    expect(material?.insecure).toBe(false);
  });

  it('no files → empty material carrying the insecure switch', async () => {
    expect(await loadLocalFiles({ tls: { caFiles: [], insecure: true }, proxyCaFiles: [], proxy: direct }, target)).toEqual({
      tls: { ca: [], insecure: true },
      proxyCa: [],
    });
  });

  it('a missing CA file → LOCAL_FILE_UNREADABLE at the tls stage, naming the file', async () => {
    const error = await failureOf(loadLocalFiles({ tls: { caFiles: [pems.path('gone.pem')], insecure: false }, proxyCaFiles: [], proxy: direct }, target));
    expect([error.stage, error.code]).toEqual(['tls', 'LOCAL_FILE_UNREADABLE']);
    expect(error.details).toMatchObject({ file: pems.path('gone.pem'), cause: 'ENOENT' });
    expect(error.message).toContain('CA file');
    expect(error.message).toContain('does not exist');
  });

  it('a non-PEM key file → LOCAL_FILE_UNREADABLE with a PEM hint', async () => {
    const error = await failureOf(
      loadLocalFiles({ tls: { caFiles: [], certFile: pems.path('client.pem'), keyFile: pems.path('notes.txt'), insecure: false }, proxyCaFiles: [], proxy: direct }, target),
    );
    expect(error.code).toBe('LOCAL_FILE_UNREADABLE');
    expect(error.details.file).toBe(pems.path('notes.txt'));
    expect(error.message).toContain('client key file');
    expect(error.message).toContain('not PEM');
    expect(error.hint).toContain('-----BEGIN PRIVATE KEY-----');
  });

  it('a directory as client certificate → LOCAL_FILE_UNREADABLE', async () => {
    const error = await failureOf(loadLocalFiles({ tls: { caFiles: [], certFile: pems.dir, insecure: false }, proxyCaFiles: [], proxy: direct }, target));
    expect(error.message).toContain('client certificate file');
    expect(error.message).toContain('is a directory');
  });

  it('a bad proxy CA file is reported at proxy-tls', async () => {
    const error = await failureOf(
      loadLocalFiles({ tls: { caFiles: [], insecure: false }, proxyCaFiles: [pems.path('ca.pem'), pems.path('notes.txt')], proxy: { mode: 'system' } }, target),
    );
    expect([error.stage, error.code, error.details.file]).toEqual(['proxy-tls', 'LOCAL_FILE_UNREADABLE', pems.path('notes.txt')]);
  });
});
