/**
 * Entry point of `npm run web -- [--port <n>] [--host <addr>] [--tls | --insecure-http] …`
 * (args.ts): one engine (with its profile store), the web host in front of it (HTTPS with its
 * own certificate under --tls, whose SHA-256 fingerprint is printed), the URL (with its access
 * token) printed on a line of its own, then where profiles are kept and how well their secrets
 * are protected. Ctrl-C closes the sessions and exits; a second Ctrl-C exits at once.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createSystemProxy, dataDirFlagProblem, Engine, resolveDataDir } from '../core';
import { DEFAULT_PORT, isLoopback, parseWebHostArgs, USAGE, UsageError, type WebHostArgs } from './args';
import { profileBanner, profileBannerFailure, type BannerLines } from './profile-banner';
import { startWebHost, type WebHost } from './server';
import { loadOrCreateCertificate, type HostCertificate } from './tls-certificate';
import { WEB_LIMIT_HINTS } from './session-args';

const EXIT_USAGE = 2;
const EXIT_FAILED = 1;
/** Sessions get this long to close cleanly on Ctrl-C. */
const DISPOSE_TIMEOUT_MS = 3000;

/** The repository (or install) root: src-main/web/ from source, out/node/ when built. */
function packageRoot(): string {
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
}

function packageVersion(root: string): string {
  try {
    const parsed: unknown = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
    if (typeof parsed === 'object' && parsed !== null && 'version' in parsed && typeof parsed.version === 'string') return parsed.version;
  } catch {
    // fall through: the version only shows in the UI's about line
  }
  return '0.0.0';
}

function fail(message: string, code: number): never {
  process.stderr.write(`tunnelscope web: ${message}\n`);
  process.exit(code);
}

async function listen(args: WebHostArgs, engine: Engine, rendererDir: string, certificate: HostCertificate | undefined): Promise<WebHost> {
  const start = (port: number): Promise<WebHost> =>
    startWebHost({
      engine,
      rendererDir,
      host: args.host,
      port,
      maxPayloadBytes: args.maxMessageBytes,
      maxBufferedBytes: args.maxBufferedBytes,
      ...(certificate ? { tls: { keyPem: certificate.keyPem, certPem: certificate.certPem } } : {}),
    });
  try {
    return await start(args.port);
  } catch (error) {
    const code = error instanceof Error && 'code' in error ? error.code : undefined;
    if (code === 'EADDRINUSE' && !args.portGiven) {
      process.stderr.write(`tunnelscope web: port ${DEFAULT_PORT} is in use; using a free port instead.\n`);
      return start(0);
    }
    const why = error instanceof Error ? error.message : String(error);
    if (code === 'EADDRINUSE') fail(`port ${args.port} is in use (${why}). Choose another with --port, or --port 0 for any free one.`, EXIT_FAILED);
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') fail(`cannot bind ${args.host}: no such local address (${why}).`, EXIT_FAILED);
    fail(`cannot listen on ${args.host}:${args.port}: ${why}`, EXIT_FAILED);
  }
}

async function profileStatusBanner(engine: Engine, dataDir: string): Promise<BannerLines> {
  const status = await engine.call('profiles:status', {});
  return status.ok ? profileBanner(status.value) : profileBannerFailure(dataDir, status.error.message);
}

async function certificateOrFail(dataDir: string, host: string): Promise<HostCertificate> {
  try {
    return await loadOrCreateCertificate({ dataDir, host, now: new Date() });
  } catch (error) {
    fail(`cannot make or store the TLS certificate in ${dataDir}: ${error instanceof Error ? error.message : String(error)}`, EXIT_FAILED);
  }
}

function printCertificate(certificate: HostCertificate): void {
  const lines = [
    `TLS: a self-signed certificate (${certificate.certFile}). The browser will warn that it does not know`,
    'who signed it; go on only if the SHA-256 fingerprint it shows for the certificate is this one:',
    `SHA-256 fingerprint: ${certificate.fingerprint256}`,
  ];
  if (certificate.madeBecause !== undefined) lines.push(`(A new certificate was made because ${certificate.madeBecause}; its fingerprint is new.)`);
  for (const line of lines) process.stdout.write(`${line}\n`);
}

function printBanner(banner: BannerLines): void {
  for (const line of banner.out) process.stdout.write(`${line}\n`);
  for (const line of banner.err) process.stderr.write(`${line}\n`);
}

async function main(argv: readonly string[]): Promise<void> {
  let args: WebHostArgs;
  try {
    args = parseWebHostArgs(argv);
  } catch (error) {
    if (error instanceof UsageError) fail(`${error.message}\n${USAGE}`, EXIT_USAGE);
    throw error;
  }
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  // A file given as --data-dir is the user's mistake: said as one, not answered with "no profiles".
  const dataDirProblem = args.dataDir !== undefined ? dataDirFlagProblem(resolveDataDir({ flag: args.dataDir })) : undefined;
  if (dataDirProblem !== undefined) fail(`${dataDirProblem}\n${USAGE}`, EXIT_USAGE);
  const root = packageRoot();
  // TUNNELSCOPE_RENDERER_DIR: serve another build of the UI (tests, packagers).
  const rendererDir = process.env['TUNNELSCOPE_RENDERER_DIR'] ?? path.join(root, 'out', 'renderer');
  if (!fs.existsSync(path.join(rendererDir, 'index.html'))) {
    fail(`the UI is not built (${path.join(rendererDir, 'index.html')} is missing). Run: npm run build`, EXIT_FAILED);
  }

  // --data-dir, else TUNNELSCOPE_DATA_DIR, else the OS's config folder.
  const dataDir = resolveDataDir({ flag: args.dataDir, env: process.env });
  const certificate = args.tls ? await certificateOrFail(dataDir, args.host) : undefined;
  const engine = new Engine({
    host: 'web',
    version: packageVersion(root),
    // Auto and System read this machine's proxy settings (GNOME, KDE, macOS, Windows).
    systemProxy: createSystemProxy({ env: process.env }),
    profiles: { dataDir },
    // The grace of a page that went away, the retention of closed sessions and the limits (--client-grace …).
    sessionLimits: args.sessionLimits ?? {},
    limitHints: WEB_LIMIT_HINTS,
  });
  const host = await listen(args, engine, rendererDir, certificate);

  if (!isLoopback(host.address)) {
    process.stderr.write(
      [
        '',
        `WARNING: the web host is bound to ${host.address}, not to loopback. Anyone who can reach`,
        'that address and has the access token can use this machine as a proxy engine: open',
        'connections from it, through its proxies, with its credentials and CA files.',
        ...(args.insecureHttp
          ? ['--insecure-http: the access token and everything the page sends and receives (proxy', 'credentials included) cross the network unencrypted.']
          : []),
        '',
      ].join('\n'),
    );
  }
  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) process.exit(130);
    stopping = true;
    process.stderr.write(`\ntunnelscope web: ${signal}: closing sessions…\n`);
    const timeout = new Promise<void>((resolve) => setTimeout(resolve, DISPOSE_TIMEOUT_MS).unref());
    void Promise.race([Promise.all([host.close(), engine.dispose()]), timeout]).finally(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);

  process.stdout.write(`Tunnelscope web host is running. Open this URL in your browser (it holds the access token):\n${host.url}\n`);
  if (certificate) printCertificate(certificate);
  // After the URL: the status may wait for the OS keyring (a few seconds at most).
  printBanner(await profileStatusBanner(engine, dataDir));
  if (!stopping) process.stdout.write('Press Ctrl-C to stop.\n');
}

main(process.argv.slice(2)).catch((error: unknown) => {
  fail(error instanceof Error ? (error.stack ?? error.message) : String(error), EXIT_FAILED);
});
