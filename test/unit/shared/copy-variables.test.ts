import { describe, expect, it } from 'vitest';
import { copyAsCommand } from '../../../src-main/shared/copy-as-command';
import type { CopyVariables } from '../../../src-main/shared/copy-variables';
import type { ConnectionOptionsInput } from '../../../src-main/shared/model';

const options: ConnectionOptionsInput = {
  url: 'wss://{{host}}/ws?key={{token}}&t={{$timestamp}}',
  proxy: { mode: 'none' },
  headers: [{ name: 'X-Tenant', value: '{{tenant}}' }],
  subprotocols: ['{{proto}}'],
};
const environment: CopyVariables['environment'] = {
  name: 'Staging EU',
  variables: [
    { name: 'host', secret: false, value: 'staging.example' },
    { name: 'tenant', secret: false, value: 'acme' },
    { name: 'proto', secret: false, value: 'graphql-ws' },
    { name: 'token', secret: true },
  ],
};

describe('Copy as command with {{variables}}', () => {
  it('keeps them: tunnelscope gets --env and the braces as typed', () => {
    const copied = copyAsCommand('tunnelscope', options, undefined, undefined, { mode: 'keep', environment });
    expect(copied.command).toBe(
      "tunnelscope connect 'wss://{{host}}/ws?key={{token}}&t={{$timestamp}}' --no-proxy -H 'X-Tenant: {{tenant}}' --subprotocol '{{proto}}' --env 'Staging EU'",
    );
    expect(copied.notes).toEqual([]);
  });

  it('keeps them for wscat with a note that they are sent as typed; without an environment tunnelscope is told to add one', () => {
    expect(copyAsCommand('wscat', options, undefined, undefined, { mode: 'keep', environment }).notes).toContain(
      'wscat does not fill in {{names}}: they are sent as typed (choose Resolve to fill them in)',
    );
    expect(copyAsCommand('tunnelscope', options, undefined, undefined, { mode: 'keep' }).notes).toContain(
      'the {{names}} are kept, but no environment is chosen: add --env <name> or --var name=value',
    );
  });

  it('resolves them: values filled in, a secret as a placeholder with a note, built-ins noted for other tools', () => {
    const tunnelscope = copyAsCommand('tunnelscope', options, undefined, undefined, { mode: 'resolve', environment });
    expect(tunnelscope.command).toBe(
      "tunnelscope connect 'wss://staging.example/ws?key=<token>&t={{$timestamp}}' --no-proxy -H 'X-Tenant: acme' --subprotocol graphql-ws",
    );
    expect(tunnelscope.notes).toEqual(['the secret variable token is left out: type its value where <token> stands']);
    const websocat = copyAsCommand('websocat', options, undefined, undefined, { mode: 'resolve', environment });
    expect(websocat.notes).toContain('websocat does not fill in built-ins such as {{$timestamp}}: they are sent as typed');
    expect(websocat.command).toContain("'wss://staging.example/ws?key=<token>&t={{$timestamp}}'");
  });

  it('names what the environment does not define, and leaves options without {{ alone', () => {
    const partial = copyAsCommand('tunnelscope', options, undefined, undefined, { mode: 'resolve', environment: { name: 'Dev', variables: [] } });
    expect(partial.notes).toContain('not defined in "Dev": {{host}}, {{token}}, {{tenant}}, {{proto}}');
    const plain = copyAsCommand('tunnelscope', { url: 'wss://a.example/', proxy: { mode: 'none' } }, undefined, undefined, { mode: 'keep', environment });
    expect(plain.command).toBe('tunnelscope connect wss://a.example/ --no-proxy');
  });
});
