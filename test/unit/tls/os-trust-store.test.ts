/**
 * Reading the OS trust store: macOS `security find-certificate -a -p` output (a recording of
 * what it prints: PEM blocks back to back, 64-column lines) parsed and deduplicated, a failing
 * keychain noted; Linux locations from SSL_CERT_FILE / SSL_CERT_DIR (hashed names only) with a
 * damaged block noted, not fatal; the override fatal when unusable; Windows without the
 * runtime API says it is not read; the runtime API is used when present.
 */
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { symlink } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  OS_CA_BUNDLE_ENV,
  macKeychains,
  parseSecurityOutput,
  readOsTrustStore,
} from '../../../src-main/core/tls/os-trust-store';
import { createCa, testCa, writePems, type PemDir } from '../../support/certs';

const recorded = readFileSync(path.join(__dirname, 'fixtures/security-find-certificate.txt'), 'utf8');

function subjects(pems: string[]): string[] {
  return pems.map((pem) => new X509Certificate(pem).subject.split('\n').find((line) => line.startsWith('CN=')) ?? '');
}

describe('macOS: security find-certificate -a -p', () => {
  it('parses the recorded output into its certificates, without duplicates', () => {
    const store = parseSecurityOutput(recorded, '/System/Library/Keychains/SystemRootCertificates.keychain');
    expect(subjects(store.certificates)).toEqual(['CN=ISRG Root X1', 'CN=DigiCert Global Root G2']);
    expect(store.readFrom).toEqual(['/System/Library/Keychains/SystemRootCertificates.keychain']);
    expect(store.problems).toEqual([]);
  });

  it('an empty keychain gives nothing and no problem', () => {
    expect(parseSecurityOutput('', 'login')).toEqual({ certificates: [], readFrom: [], problems: [] });
  });

  it('a damaged block is skipped and named; the others are kept', () => {
    const damaged = '-----BEGIN CERTIFICATE-----\nMIIBroken!!\n-----END CERTIFICATE-----\n';
    const store = parseSecurityOutput(damaged + recorded, 'System.keychain');
    expect(store.certificates).toHaveLength(2);
    expect(store.problems).toEqual([
      { where: 'System.keychain', message: 'certificate 1 in it is damaged (its base64 content does not parse)', fatal: false },
    ]);
  });

  it('asks the system roots, the System keychain and the login keychain; a failing one is a note', async () => {
    const asked: string[][] = [];
    const store = await readOsTrustStore({
      platform: 'darwin',
      env: { HOME: '/Users/ada' },
      runtimeApi: null,
      runSecurity: (args) => {
        asked.push(args);
        if (args[3]?.includes('login')) return Promise.reject(new Error('The specified keychain could not be found.'));
        return Promise.resolve(args[3]?.includes('SystemRoot') ? recorded : testCa().cert);
      },
    });
    expect(asked).toEqual(macKeychains('/Users/ada').map((keychain) => ['find-certificate', '-a', '-p', keychain]));
    expect(store.certificates).toHaveLength(3);
    expect(store.readFrom).toEqual(macKeychains('/Users/ada').slice(0, 2));
    expect(store.problems).toEqual([
      {
        where: 'security find-certificate -a -p /Users/ada/Library/Keychains/login.keychain-db',
        message: 'it failed (The specified keychain could not be found.)',
        fatal: false,
      },
    ]);
  });
});

describe('Linux and the override', () => {
  let pems: PemDir;
  beforeAll(async () => {
    const other = createCa('Tunnelscope Other CA');
    pems = await writePems({
      'bundle.crt': `${testCa().cert}\n-----BEGIN CERTIFICATE-----\nnot base64 at all\n-----END CERTIFICATE-----\n`,
      'other.pem': other.cert,
      'garbage.txt': 'hello',
    });
    // What c_rehash leaves in /etc/ssl/certs: hashed names linking to the PEM files.
    await symlink(pems.path('other.pem'), pems.path('1a2b3c4d.0'));
  });
  afterAll(() => pems.cleanup());

  it('reads SSL_CERT_FILE and the hashed files of SSL_CERT_DIR; a damaged block is a note', async () => {
    const store = await readOsTrustStore({
      platform: 'linux',
      runtimeApi: null,
      env: { SSL_CERT_FILE: pems.path('bundle.crt'), SSL_CERT_DIR: pems.dir },
    });
    expect(subjects(store.certificates)).toEqual(['CN=Tunnelscope Test CA', 'CN=Tunnelscope Other CA']);
    expect(store.readFrom).toEqual([pems.path('bundle.crt'), pems.dir]);
    expect(store.problems).toEqual([
      { where: pems.path('bundle.crt'), message: 'certificate 2 in it is damaged (its base64 content does not parse)', fatal: false },
    ]);
  });

  it('a missing SSL_CERT_FILE is a note, not an error', async () => {
    const store = await readOsTrustStore({ platform: 'linux', runtimeApi: null, env: { SSL_CERT_FILE: pems.path('none.crt'), SSL_CERT_DIR: pems.dir } });
    expect(store.certificates).toHaveLength(1);
    expect(store.problems).toEqual([{ where: pems.path('none.crt'), message: 'it does not exist', fatal: false }]);
  });

  it('the override replaces the lookup on every platform, and its problems are fatal', async () => {
    const good = await readOsTrustStore({ platform: 'win32', env: { [OS_CA_BUNDLE_ENV]: pems.path('other.pem') } });
    expect(subjects(good.certificates)).toEqual(['CN=Tunnelscope Other CA']);
    const bad = await readOsTrustStore({ platform: 'linux', env: { [OS_CA_BUNDLE_ENV]: pems.path('garbage.txt') } });
    expect(bad.problems).toEqual([
      { where: `${OS_CA_BUNDLE_ENV}=${pems.path('garbage.txt')}`, message: 'it holds no PEM certificate ("-----BEGIN CERTIFICATE-----")', fatal: true },
    ]);
    const damaged = await readOsTrustStore({ platform: 'linux', env: { [OS_CA_BUNDLE_ENV]: pems.path('bundle.crt') } });
    expect(damaged.problems.map((problem) => problem.fatal)).toEqual([true]);
  });
});

describe('Windows and the runtime API', () => {
  it('without the runtime API, Windows says its store is not read and what to do', async () => {
    const store = await readOsTrustStore({ platform: 'win32', env: {}, runtimeApi: null });
    expect(store.certificates).toEqual([]);
    expect(store.problems).toEqual([
      {
        where: 'the Windows certificate store',
        message: 'this runtime cannot read it (it needs tls.getCACertificates, Node 22.15 or later); add the CA you need as a CA file (--ca)',
        fatal: false,
      },
    ]);
  });

  it("uses the runtime's tls.getCACertificates('system') when there is one", async () => {
    const store = await readOsTrustStore({ platform: 'win32', env: {}, runtimeApi: () => [testCa().cert, 42] });
    expect(subjects(store.certificates)).toEqual(['CN=Tunnelscope Test CA']);
    expect(store.readFrom).toEqual(['the runtime (tls.getCACertificates)']);
  });

  it('a runtime API that answers nonsense is a note, and the store is read without it', async () => {
    const store = await readOsTrustStore({ platform: 'darwin', env: { HOME: '/Users/ada' }, runtimeApi: () => 'nope', runSecurity: () => Promise.resolve(recorded) });
    expect(store.problems).toEqual([
      { where: 'the runtime (tls.getCACertificates)', message: 'it answered something other than a list of certificates', fatal: false },
    ]);
    expect(store.certificates).toHaveLength(2);
  });
});
