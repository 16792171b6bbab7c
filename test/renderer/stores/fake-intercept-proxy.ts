/**
 * The fake bridge's intercepting proxy (intercept-proxy:*): one in memory that starts, stops and
 * answers its status as the engine would, with the CA certificate a fixed PEM. Tests push the
 * proxy's events themselves (fake.emit) to fill the lists.
 */
import type { CommandName } from '../../../src-main/shared/commands';
import type { InterceptStatus } from '../../../src-main/shared/intercept-proxy';
import type { Result } from '../../../src-main/shared/result';

export const FAKE_CA_PEM = '-----BEGIN CERTIFICATE-----\nMIIBfake\n-----END CERTIFICATE-----\n';
export const FAKE_CA = { subject: 'CN=Tunnelscope intercept CA (test)', fingerprint256: 'AB:CD', validTo: 'Dec  1 00:00:00 2036 GMT' };

export function stoppedStatus(): InterceptStatus {
  return {
    running: false,
    remote: false,
    upstream: 'auto (the proxy variables, else the system settings, else direct)',
    upstreamMode: 'auto',
    deflate: 'strip',
    counts: { captured: 0, open: 0, refused: 0, clientTls: 0, passthrough: 0, http: 0 },
  };
}

export function createFakeInterceptProxy(): Partial<Record<CommandName, (arg: unknown) => Result<unknown>>> {
  let status = stoppedStatus();
  return {
    'intercept-proxy:start': (arg) => {
      const { port = 8899, host = '127.0.0.1', serverTrust = { caFiles: [] } } = (arg ?? {}) as { port?: number; host?: string; serverTrust?: InterceptStatus['serverTrust'] };
      status = { ...status, running: true, address: { host, port, url: `http://${host}:${port}` }, startedAt: 1, ca: FAKE_CA, passthrough: status.passthrough ?? [], serverTrust };
      return { ok: true, value: status };
    },
    'intercept-proxy:stop': () => {
      status = { ...stoppedStatus(), counts: status.counts };
      return { ok: true, value: status };
    },
    'intercept-proxy:status': () => ({ ok: true, value: { status, connections: [], exchanges: [] } }),
    'intercept-proxy:ca-cert': () => ({ ok: true, value: { ...FAKE_CA, pem: FAKE_CA_PEM, fileName: 'tunnelscope-ca.pem' } }),
    'intercept-proxy:ca-save': () => ({ ok: true, value: { savedTo: '/home/user/tunnelscope-ca.pem' } }),
    'intercept-proxy:passthrough-add': (arg) => {
      const { host = '' } = (arg ?? {}) as { host?: string };
      const known = status.passthrough ?? [];
      const added = !known.includes(host);
      status = { ...status, passthrough: added ? [...known, host] : known };
      return { ok: true, value: { added, pattern: host, hosts: status.passthrough ?? [] } };
    },
  };
}
