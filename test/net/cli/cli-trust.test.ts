/**
 * The trust setting from the command line, spawned as a user runs it, with NODE_EXTRA_CA_CERTS
 * unset (or set to the test CA, to show it plays no part): a server signed by a CA in the OS
 * store override opens without --ca and the transcript says "trusted through the OS store";
 * --trust mozilla refuses it; --trust ca-files with --ca opens "trusted through your CA file";
 * a mitmproxy-style CA is printed as interception, in the transcript and in --json.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createCa, createLeaf, writePems, type CertAuthority, type PemDir } from '../../support/certs';
import { envWithoutProxies, runCli as runCliProcess, stopCliProcesses, type CliResult } from '../../support/cli-process';
import { startEchoServer, type EchoServer } from '../../support/echo-server';

let pems: PemDir;
let osCaServer: EchoServer;
let mitmServer: EchoServer;

function serverFor(issuer: CertAuthority): Promise<EchoServer> {
  const leaf = createLeaf({ cn: 'localhost', dns: ['localhost'], ips: ['127.0.0.1'], issuer });
  return startEchoServer({ tls: leaf });
}

beforeAll(async () => {
  const osCa = createCa('Tunnelscope OS Store CA');
  const mitm = createCa('mitmproxy');
  pems = await writePems({ 'os-bundle.pem': `${osCa.cert}\n${mitm.cert}`, 'os-ca.pem': osCa.cert });
  osCaServer = await serverFor(osCa);
  mitmServer = await serverFor(mitm);
});
afterEach(stopCliProcesses);
afterAll(async () => {
  await osCaServer.close();
  await mitmServer.close();
  await pems.cleanup();
});

/** No proxy variable, no NODE_EXTRA_CA_CERTS of this machine; the OS store is the override. */
function env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const clean = envWithoutProxies((name) => name === 'NO_COLOR' || name === 'NODE_EXTRA_CA_CERTS');
  return { ...clean, TUNNELSCOPE_OS_CA_BUNDLE: pems.path('os-bundle.pem'), ...extra };
}

function runCli(args: string[], environment: NodeJS.ProcessEnv = env()): Promise<CliResult> {
  return runCliProcess(args, { env: environment });
}

const echoOnce = (url: string): string[] => ['connect', url, '--no-proxy', '--send', 'hi', '--count', '1', '--timeout', '10000'];

describe('--trust', () => {
  it('default (Mozilla + OS): opens without --ca, trusted through the OS store', async () => {
    const run = await runCli(echoOnce(osCaServer.url));
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('certificate verified, trusted through the OS store (CN=Tunnelscope OS Store CA, O=Tunnelscope Tests)');
  });

  it('mozilla: the same server is refused, even with the CA in NODE_EXTRA_CA_CERTS', async () => {
    const run = await runCli([...echoOnce(osCaServer.url), '--trust', 'mozilla'], env({ NODE_EXTRA_CA_CERTS: pems.path('os-ca.pem') }));
    expect(run.code).toBe(1);
    expect(run.stdout + run.stderr).toContain('TLS_UNTRUSTED_CERT');
    expect(run.stdout + run.stderr).toContain("Trust is set to Mozilla's roots only");
  });

  it('ca-files with --ca: opens, trusted through your CA file, the setting shown', async () => {
    const run = await runCli([...echoOnce(osCaServer.url), '--trust', 'ca-files', '--ca', pems.path('os-ca.pem')]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('trusted through your CA file (CN=Tunnelscope OS Store CA, O=Tunnelscope Tests)');
    expect(run.stdout).toContain('trust: only my CA files');
  });

  it('names mitmproxy when it re-signed the chain, in the transcript and in --json', async () => {
    const run = await runCli(echoOnce(mitmServer.url));
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('TLS intercepted by mitmproxy (CN=mitmproxy, O=Tunnelscope Tests)');
    expect(run.stdout).toContain('The issuer names mitmproxy; its root (CN=mitmproxy, O=Tunnelscope Tests) is not one of Mozilla\'s and was trusted through the OS store.');

    const json = await runCli([...echoOnce(mitmServer.url), '--json']);
    expect(json.code).toBe(0);
    const tlsLine = json.stdout
      .split('\n')
      .filter((line) => line !== '')
      .map((line): unknown => JSON.parse(line))
      .find((line) => typeof line === 'object' && line !== null && Reflect.get(line, 'leg') === 'tls');
    expect(tlsLine).toMatchObject({
      tls: {
        trust: { setting: 'mozilla+os', trustedThrough: 'os', anchor: 'CN=mitmproxy, O=Tunnelscope Tests' },
        interception: { product: 'mitmproxy', issuer: 'CN=mitmproxy, O=Tunnelscope Tests', trustedThrough: 'os' },
      },
    });
  });

  it('an unknown --trust value is a usage error naming the choices', async () => {
    const run = await runCli([...echoOnce(osCaServer.url), '--trust', 'everything']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--trust: "everything" is not one of mozilla+os, mozilla, ca-files');
  });
});
