/** A profile view with every field set, all three kinds of secret saved (as the engine shows them: set, no value). */
import type { ProfileView } from '../../../src-main/shared/profiles';

export function fullView(overrides: Partial<ProfileView> = {}): ProfileView {
  return {
    id: 'p1',
    revision: 3,
    createdAt: 1,
    updatedAt: 2,
    name: 'prod gateway',
    url: 'wss://gw.example/socket',
    headers: [
      { id: 'h1', name: 'Authorization', secret: true, value: { set: true } },
      { id: 'h2', name: 'X-Client', secret: false, value: 'tunnelscope' },
    ],
    subprotocols: ['graphql-ws'],
    origin: 'https://app.example',
    proxy: { mode: 'manual', url: 'http://proxy.corp:8080', username: 'alice', password: { set: true }, caFiles: ['/proxy-ca.pem'] },
    tls: { caFiles: ['/corp-root.pem'], insecure: false, certFile: '/client.pem', keyFile: '/client-key.pem', passphrase: { set: true } },
    handshakeTimeoutMs: 7000,
    history: { maxFrames: 250_000, maxBytes: 64 * 1024 * 1024 },
    reconnect: { enabled: true, initialDelayMs: 1000, maxDelayMs: 8000, maxAttempts: 5 },
    savedMessages: [{ id: 'm1', name: 'subscribe', kind: 'json', body: '{"op":"subscribe"}' }],
    ...overrides,
  };
}
