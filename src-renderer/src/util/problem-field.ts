/**
 * Which connection-form field a command problem names, from the argument path the contract's
 * validator reports (`options.url`, `options.headers.0.name`, `options.tls.caFiles.1` …).
 */
import type { CommandProblem } from '../stores/tabs-store';

export type SetupField = 'url' | 'proxy' | 'headers' | 'subprotocols' | 'origin' | 'tls' | 'timeout' | 'history' | 'keepalive' | 'engineio' | 'mqtt' | 'reconnect' | 'general';

/** Fields that live in the collapsible part of the form. */
export const ADVANCED_FIELDS: readonly SetupField[] = ['headers', 'subprotocols', 'origin', 'tls', 'timeout', 'history', 'keepalive', 'engineio', 'mqtt', 'reconnect'];

const PREFIXES: [string, SetupField][] = [
  ['options.url', 'url'],
  ['options.proxyCaFiles', 'tls'],
  ['options.proxyAuth', 'proxy'],
  ['options.proxy', 'proxy'],
  ['options.headers', 'headers'],
  ['options.subprotocols', 'subprotocols'],
  ['options.origin', 'origin'],
  ['options.tls', 'tls'],
  ['options.timeouts', 'timeout'],
  ['options.handshakeTimeoutMs', 'timeout'],
  ['options.proxyTimeoutMs', 'timeout'],
  ['options.openTimeoutMs', 'timeout'],
  ['options.history', 'history'],
  ['options.keepalive', 'keepalive'],
  ['options.engineioHeartbeat', 'engineio'],
  ['options.mqttKeepalive', 'mqtt'],
  ['options.reconnect', 'reconnect'],
  // A saved secret the engine would not send where the changed form points.
  ['savedSecrets.proxyPassword', 'proxy'],
  ['savedSecrets.headers', 'headers'],
  ['savedSecrets.passphrase', 'tls'],
];

/** The field for a problem from the connection commands; null for other commands' problems. */
export function problemField(problem: CommandProblem | null): SetupField | null {
  if (!problem || (problem.command !== 'session:open' && problem.command !== 'session:close')) return null;
  const path = problem.path ?? '';
  for (const [prefix, field] of PREFIXES) {
    if (path === prefix || path.startsWith(`${prefix}.`)) return field;
  }
  return 'general';
}
