/**
 * The fake bridge's intercepting proxy (intercept-proxy:*): one in memory that starts, stops and
 * answers its status as the engine would, with the CA certificate a fixed PEM. Started with a
 * profile of the fake profiles, it says so (and adds to that profile's passthrough list as the
 * engine does). Tests push the proxy's events themselves (fake.emit) to fill the lists.
 */
import type { CommandName } from '../../../src-main/shared/commands';
import type { InterceptStatus } from '../../../src-main/shared/intercept-proxy';
import type { Result } from '../../../src-main/shared/result';
import type { FakeProfiles } from './fake-profiles';

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

/** environmentExists: whether a profile's environment is still saved (else the run notes it, as the engine does). */
export function createFakeInterceptProxy(profiles: FakeProfiles, environmentExists: (id: string) => boolean = () => true): Partial<Record<CommandName, (arg: unknown) => Result<unknown>>> {
  let status = stoppedStatus();
  const deletedEnvironmentNotes = (profile: { name: string; environmentId?: string | undefined }): string[] =>
    profile.environmentId !== undefined && !environmentExists(profile.environmentId) ? [`the environment of profile "${profile.name}" was deleted; intercepting without one`] : [];
  return {
    'intercept-proxy:start': (arg) => {
      const { port = 8899, host = '127.0.0.1', serverTrust = { caFiles: [] }, profileId } = (arg ?? {}) as { port?: number; host?: string; serverTrust?: InterceptStatus['serverTrust']; profileId?: string };
      const profile = profileId !== undefined ? profiles.views.get(profileId) : undefined;
      if (profileId !== undefined && !profile) return { ok: false, error: { code: 'UNKNOWN_PROFILE', message: `intercept-proxy:start: profileId: there is no profile with id ${profileId}`, path: 'profileId' } };
      const { profile: _previous, ...rest } = status;
      status = {
        ...rest,
        running: true,
        address: { host, port, url: `http://${host}:${port}` },
        startedAt: 1,
        ca: FAKE_CA,
        passthrough: status.passthrough ?? [],
        serverTrust,
        ...(profile ? { upstream: `profile "${profile.name}": none (direct)`, profile: { id: profile.id, name: profile.name, passthrough: profile.interceptPassthrough ?? [], notes: deletedEnvironmentNotes(profile) } } : {}),
      };
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
      const { host = '', list = 'global' } = (arg ?? {}) as { host?: string; list?: 'global' | 'profile' };
      if (list === 'profile') {
        const running = status.running ? status.profile : undefined;
        if (!running) return { ok: false, error: { code: 'INVALID_ARGUMENT', message: 'intercept-proxy:passthrough-add: list: the intercepting proxy is not running with a profile', path: 'list' } };
        const before = profiles.views.get(running.id)?.interceptPassthrough ?? [];
        const added = !before.includes(host);
        const hosts = added ? [...before, host] : before;
        const profile = added ? profiles.touch(running.id, { interceptPassthrough: hosts }) : profiles.views.get(running.id);
        status = { ...status, profile: { ...running, passthrough: hosts } };
        return { ok: true, value: { added, pattern: host, hosts, list, ...(profile ? { profile } : {}) } };
      }
      const known = status.passthrough ?? [];
      const added = !known.includes(host);
      status = { ...status, passthrough: added ? [...known, host] : known };
      return { ok: true, value: { added, pattern: host, hosts: status.passthrough ?? [], list } };
    },
  };
}
