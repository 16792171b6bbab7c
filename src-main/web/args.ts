/**
 * The web host's command line: `npm run web -- [--port <n>] [--host <addr>] [--tls | --insecure-http]
 * [--data-dir <dir>] [--max-message-mb <n>] [--max-buffered-mb <n>]`. Parsing is separate from the
 * entry point so the rules (and their messages) are unit-tested.
 */
import net from 'node:net';
import { parseArgs } from 'node:util';
import type { SessionLimits } from '../core';
import { SESSION_FLAG_OPTIONS, SESSION_FLAGS_USAGE, sessionLimitsFrom } from './session-args';

export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_PORT = 5199;
/** Largest message a page may send, in MiB: a command is small; a pasted message or an imported log may be a few MB. */
export const DEFAULT_MAX_MESSAGE_MB = 8;
/** Bytes waiting to go out to one page, in MiB, before the host stops sending it events. */
export const DEFAULT_MAX_BUFFERED_MB = 16;
const MIB = 1024 * 1024;
const MAX_MESSAGE_MB_LIMIT = 512;
const MAX_BUFFERED_MB_LIMIT = 4096;

export const USAGE = `usage: npm run web -- [--port <n>] [--host <addr>] [--tls | --insecure-http] [--data-dir <dir>]
                    [--max-message-mb <n>] [--max-buffered-mb <n>]

  --port <n>     port to listen on (0 picks a free one; default ${DEFAULT_PORT}, or a free
                 port when ${DEFAULT_PORT} is taken)
  --host <addr>  address to bind (default ${DEFAULT_HOST}); any address other than loopback
                 lets other machines reach the proxy engine, with the access token, and
                 needs --tls or --insecure-http
  --tls          serve HTTPS and WSS with a self-signed certificate kept in the data folder
                 (its SHA-256 fingerprint is printed; check it when the browser asks)
  --insecure-http
                 serve plain HTTP on a non-loopback address anyway (the token and all
                 traffic, credentials included, cross the network readable)
  --max-message-mb <n>
                 largest message a page may send, in MiB (default ${DEFAULT_MAX_MESSAGE_MB}); a larger one
                 closes that page's connection
  --max-buffered-mb <n>
                 MiB waiting to go out to one page before the host stops sending it events
                 and tells it it fell behind (default ${DEFAULT_MAX_BUFFERED_MB})
  --data-dir <dir>
                 where profiles are kept (default: TUNNELSCOPE_DATA_DIR, else the OS's
                 config folder, e.g. ~/.config/tunnelscope)
${SESSION_FLAGS_USAGE}
  -h, --help     show this help`;

export class UsageError extends Error {}

export interface WebHostArgs {
  host: string;
  port: number;
  /** Whether --port was given (a taken default port falls back to a free one; a given one does not). */
  portGiven: boolean;
  /** Whether --host was given. */
  hostGiven: boolean;
  /** `--data-dir`: where profiles are kept (resolved with profiles/data-dir.ts when absent). */
  dataDir?: string;
  /** `--tls`: HTTPS and WSS with the host's own self-signed certificate. */
  tls: boolean;
  /** `--insecure-http`: plain HTTP on a non-loopback address, knowingly. */
  insecureHttp: boolean;
  /** `--max-message-mb`, in bytes. */
  maxMessageBytes: number;
  /** `--max-buffered-mb`, in bytes. */
  maxBufferedBytes: number;
  /** What the session flags set (session-args.ts); the engine has the defaults for the rest. */
  sessionLimits?: Partial<SessionLimits>;
  help: boolean;
}

// A host name as in RFC 1123 (labels of letters, digits and hyphens), for --host values that are not IPs.
const HOST_NAME = /^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

export function parseWebHostArgs(argv: readonly string[]): WebHostArgs {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        'data-dir': { type: 'string' },
        tls: { type: 'boolean' },
        'insecure-http': { type: 'boolean' },
        'max-message-mb': { type: 'string' },
        'max-buffered-mb': { type: 'string' },
        ...SESSION_FLAG_OPTIONS,
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    // parseArgs' messages are clear but long-winded about `--` and positionals; keep the gist.
    const message = error instanceof Error ? error.message.split('. ')[0] ?? error.message : String(error);
    throw new UsageError(message);
  }
  const port = values.port === undefined ? DEFAULT_PORT : parsePort(values.port);
  const host = values.host === undefined ? DEFAULT_HOST : parseHost(values.host);
  const dataDir = values['data-dir'] === undefined ? undefined : parseDataDir(values['data-dir']);
  const sessionLimits = sessionLimitsFrom(values, (message) => new UsageError(message));
  const tls = values.tls === true;
  const insecureHttp = values['insecure-http'] === true;
  checkTransport(host, tls, insecureHttp);
  const maxMessageMb = values['max-message-mb'] === undefined ? DEFAULT_MAX_MESSAGE_MB : parseMegabytes('--max-message-mb', values['max-message-mb'], MAX_MESSAGE_MB_LIMIT);
  const maxBufferedMb = values['max-buffered-mb'] === undefined ? DEFAULT_MAX_BUFFERED_MB : parseMegabytes('--max-buffered-mb', values['max-buffered-mb'], MAX_BUFFERED_MB_LIMIT);
  return {
    host,
    port,
    portGiven: values.port !== undefined,
    hostGiven: values.host !== undefined,
    ...(dataDir !== undefined ? { dataDir } : {}),
    tls,
    insecureHttp,
    maxMessageBytes: maxMessageMb * MIB,
    maxBufferedBytes: maxBufferedMb * MIB,
    ...(Object.keys(sessionLimits).length > 0 ? { sessionLimits } : {}),
    help: values.help === true,
  };
}

/**
 * Off loopback, the token and every command (proxy credentials included) would cross the
 * network: serve only with TLS, or when the user says in so many words that plain HTTP is meant.
 */
function checkTransport(host: string, tls: boolean, insecureHttp: boolean): void {
  if (tls && insecureHttp) throw new UsageError('--tls and --insecure-http contradict each other: give one of them');
  if (!isLoopback(host) && !tls && !insecureHttp) {
    throw new UsageError(
      `--host ${host} is not a loopback address: add --tls (HTTPS with a self-signed certificate whose fingerprint is printed) or, to send the token and all traffic unencrypted, --insecure-http`,
    );
  }
}

function parseMegabytes(flag: string, text: string, max: number): number {
  if (!/^\d{1,5}$/.test(text) || Number(text) < 1 || Number(text) > max) {
    throw new UsageError(`${flag} must be a whole number of MiB from 1 to ${max}, not "${text.slice(0, 40)}"`);
  }
  return Number(text);
}

function parseDataDir(text: string): string {
  // An empty value would silently mean "the default folder": refuse it instead.
  if (text.trim() === '') throw new UsageError('--data-dir needs a folder, e.g. --data-dir ~/tunnelscope-profiles');
  if (text.includes('\0')) throw new UsageError('--data-dir may not contain a NUL character');
  return text;
}

function parsePort(text: string): number {
  if (!/^\d{1,5}$/.test(text) || Number(text) > 65535) {
    throw new UsageError(`--port must be a whole number from 0 to 65535, not "${text.slice(0, 40)}"`);
  }
  return Number(text);
}

function parseHost(text: string): string {
  // [::1] is how people write IPv6 in URLs; listen() wants it bare.
  const bare = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  if (net.isIP(bare) === 0 && !HOST_NAME.test(bare)) {
    throw new UsageError(`--host must be an IP address or a host name, not "${text.slice(0, 80)}"`);
  }
  return bare;
}

/** Whether an address is loopback-only (127.0.0.0/8, ::1, ::ffff:127.x, localhost). */
export function isLoopback(address: string): boolean {
  const lower = address.toLowerCase();
  if (lower === 'localhost' || lower === '::1') return true;
  const v4 = lower.startsWith('::ffff:') ? lower.slice(7) : lower;
  return net.isIPv4(v4) && v4.startsWith('127.');
}
