/**
 * The trust setting against real TLS servers on 127.0.0.1: a test CA placed in an OS store
 * override (TUNNELSCOPE_OS_CA_BUNDLE, passed as the env the lookup reads) opens "trusted
 * through the OS store"; 'mozilla' leaves it out; 'ca-files' trusts only the given files; a
 * mitmproxy-style CA is named as interception when it works, and a Zscaler-named CA as the
 * finding when it fails. The trust list is always given to TLS explicitly, so the
 * NODE_EXTRA_CA_CERTS of this environment plays no part (the CLI test proves it in a child).
 */
import net from 'node:net';
import tls from 'node:tls';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { NetFailure } from '../../../src-main/core/errors/net-failure';
import { Deadline } from '../../../src-main/core/net/deadline';
import { startTls, type TlsRequest } from '../../../src-main/core/tls/tls-connect';
import { OS_CA_BUNDLE_ENV } from '../../../src-main/core/tls/os-trust-store';
import { createCa, createLeaf, testCa, writePems, type CertAuthority, type PemDir } from '../../support/certs';

const closers: (() => void)[] = [];
let pems: PemDir;
let mitm: CertAuthority;
let zscaler: CertAuthority;

beforeAll(async () => {
  mitm = createCa('mitmproxy');
  zscaler = createCa('Zscaler Root CA');
  pems = await writePems({
    'os-bundle.pem': `${testCa().cert}\n${mitm.cert}\n`,
    'test-ca.pem': testCa().cert,
    'not-pem.pem': 'this is no certificate\n',
  });
});
afterAll(() => pems.cleanup());
afterEach(() => {
  while (closers.length > 0) closers.pop()?.();
});

/** A TLS server for 127.0.0.1 whose leaf `issuer` signed; the leaf is sent with no chain. */
async function serverSignedBy(issuer: CertAuthority): Promise<number> {
  const leaf = createLeaf({ cn: 'localhost', dns: ['localhost'], ips: ['127.0.0.1'], issuer });
  const sockets = new Set<net.Socket>();
  const server = tls.createServer({ cert: leaf.cert, key: leaf.key }, (socket) => {
    socket.on('error', () => undefined);
    socket.pipe(socket);
  });
  server.on('connection', (socket: net.Socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
  });
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => {
    for (const socket of sockets) socket.destroy();
    server.close();
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

async function attempt(
  port: number,
  material: TlsRequest['material'],
  env: Record<string, string>,
  extra: Partial<Pick<TlsRequest, 'stage' | 'viaProxy'>> = {},
) {
  const socket = net.connect({ host: '127.0.0.1', port });
  closers.push(() => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  try {
    const result = await startTls({ socket, host: '127.0.0.1', port, stage: 'tls', material, env, deadline: new Deadline(60_000), ...extra });
    result.socket.on('error', () => undefined);
    closers.push(() => result.socket.destroy());
    return { info: result.info, error: undefined };
  } catch (error) {
    if (!(error instanceof NetFailure)) throw error;
    return { info: undefined, error: error.netError };
  }
}

const osBundle = (): Record<string, string> => ({ [OS_CA_BUNDLE_ENV]: pems.path('os-bundle.pem') });

describe('trust: Mozilla + OS (the default)', () => {
  it('opens a server signed by a CA in the OS store without any CA file, trusted through the OS store', async () => {
    const port = await serverSignedBy(testCa());
    const { info, error } = await attempt(port, { ca: [], insecure: false }, osBundle());
    expect(error).toBeUndefined();
    expect(info?.authorized).toBe(true);
    expect(info?.trust).toEqual({ setting: 'mozilla+os', trustedThrough: 'os', anchor: 'CN=Tunnelscope Test CA, O=Tunnelscope Tests' });
    // A root Mozilla does not hold is named, though no product is known for it.
    expect(info?.interception).toEqual({
      issuer: 'CN=Tunnelscope Test CA, O=Tunnelscope Tests',
      trustedThrough: 'os',
      reason: "Its root (CN=Tunnelscope Test CA, O=Tunnelscope Tests) is not one of Mozilla's and was trusted through the OS store.",
    });
  });

  it('a directory as the override is read too', async () => {
    const port = await serverSignedBy(testCa());
    const { info } = await attempt(port, { ca: [], insecure: false }, { [OS_CA_BUNDLE_ENV]: pems.dir });
    expect(info?.trust?.trustedThrough).toBe('os');
  });

  it('names mitmproxy when its CA (in the OS store) signed the chain', async () => {
    const port = await serverSignedBy(mitm);
    const { info, error } = await attempt(port, { ca: [], insecure: false }, osBundle());
    expect(error).toBeUndefined();
    expect(info?.interception).toEqual({
      product: 'mitmproxy',
      issuer: 'CN=mitmproxy, O=Tunnelscope Tests',
      trustedThrough: 'os',
      reason: "The issuer names mitmproxy; its root (CN=mitmproxy, O=Tunnelscope Tests) is not one of Mozilla's and was trusted through the OS store.",
    });
  });

  it('a CA file wins over the OS store in the name of the store', async () => {
    const port = await serverSignedBy(testCa());
    const { info } = await attempt(port, { ca: [Buffer.from(testCa().cert)], insecure: false }, osBundle());
    expect(info?.trust?.trustedThrough).toBe('ca-file');
  });

  it('says plainly that a TLS-inspecting gateway re-signed a chain from an untrusted Zscaler CA', async () => {
    const port = await serverSignedBy(zscaler);
    const { info, error } = await attempt(port, { ca: [], insecure: false }, osBundle());
    expect(info).toBeUndefined();
    expect(error?.code).toBe('TLS_UNTRUSTED_CERT');
    expect(error?.message).toBe(
      'A TLS-inspecting gateway re-signed this certificate: Zscaler (CN=Zscaler Root CA, O=Tunnelscope Tests) issued it on the way, and its root is not trusted here.',
    );
    expect(error?.message).not.toMatch(/\bmay\b/);
    expect(error?.hint).toContain("get Zscaler's root CA certificate (PEM)");
  });

  it('through a proxy, the finding names the proxy it happened behind', async () => {
    const port = await serverSignedBy(zscaler);
    const { error } = await attempt(port, { ca: [], insecure: false }, osBundle(), { viaProxy: 'http://proxy.corp:3128' });
    expect(error?.message).toBe(
      'A TLS-inspecting gateway re-signed this certificate: Zscaler (CN=Zscaler Root CA, O=Tunnelscope Tests) issued it on the way through the proxy http://proxy.corp:3128, and its root is not trusted here.',
    );
  });

  it("an https:// proxy's certificate is trusted through the OS store too, and is no interception", async () => {
    const port = await serverSignedBy(testCa());
    const { info, error } = await attempt(port, { ca: [], insecure: false }, osBundle(), { stage: 'proxy-tls' });
    expect(error).toBeUndefined();
    expect(info?.trust?.trustedThrough).toBe('os');
    expect(info?.interception).toBeUndefined();
  });

  it('an override that does not exist fails the TLS leg naming the variable and the path', async () => {
    const port = await serverSignedBy(testCa());
    const missing = pems.path('nowhere.pem');
    const { error } = await attempt(port, { ca: [], insecure: false }, { [OS_CA_BUNDLE_ENV]: missing });
    expect(error?.code).toBe('LOCAL_FILE_UNREADABLE');
    expect(error?.stage).toBe('tls');
    expect(error?.message).toBe(`The OS trust store named by ${OS_CA_BUNDLE_ENV} could not be used: "${missing}": it does not exist.`);
  });

  it('an override that is not PEM fails the same way, saying so', async () => {
    const port = await serverSignedBy(testCa());
    const { error } = await attempt(port, { ca: [], insecure: false }, { [OS_CA_BUNDLE_ENV]: pems.path('not-pem.pem') });
    expect(error?.code).toBe('LOCAL_FILE_UNREADABLE');
    expect(error?.message).toContain('it holds no PEM certificate');
  });
});

describe("trust: Mozilla's roots only", () => {
  it('does not open a server whose CA is only in the OS store, and says why', async () => {
    const port = await serverSignedBy(testCa());
    const { error } = await attempt(port, { ca: [], insecure: false, trust: 'mozilla' }, osBundle());
    expect(error?.code).toBe('TLS_UNTRUSTED_CERT');
    expect(error?.hint).toContain("Trust is set to Mozilla's roots only");
  });

  it('a CA file still adds to it', async () => {
    const port = await serverSignedBy(testCa());
    const { info } = await attempt(port, { ca: [Buffer.from(testCa().cert)], insecure: false, trust: 'mozilla' }, osBundle());
    expect(info?.trust).toEqual({ setting: 'mozilla', trustedThrough: 'ca-file', anchor: 'CN=Tunnelscope Test CA, O=Tunnelscope Tests' });
  });
});

describe('trust: only my CA files', () => {
  it('opens with the CA given as a file, trusted through your CA file', async () => {
    const port = await serverSignedBy(testCa());
    const { info, error } = await attempt(port, { ca: [Buffer.from(testCa().cert)], insecure: false, trust: 'ca-files' }, osBundle());
    expect(error).toBeUndefined();
    expect(info?.trust?.trustedThrough).toBe('ca-file');
    expect(info?.interception?.trustedThrough).toBe('ca-file');
  });

  it('without a CA file nothing is trusted, and the hint says the setting is why', async () => {
    const port = await serverSignedBy(testCa());
    const { error } = await attempt(port, { ca: [], insecure: false, trust: 'ca-files' }, osBundle());
    expect(error?.code).toBe('TLS_UNTRUSTED_CERT');
    expect(error?.hint).toContain('Trust is set to "only my CA files" and no CA file is given');
  });
});
