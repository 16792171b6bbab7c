import { describe, expect, it } from 'vitest';
import { unresolvedVariables } from '../../../src-renderer/src/environments/unresolved-variables';

const draft = {
  url: 'wss://{{host}}/ws?v={{$timestamp}}',
  headers: [
    { name: 'X-Key', value: 'Bearer {{token}}' },
    { name: 'X-Plain', value: 'no braces' },
    { name: '', value: '{{ignored}}' },
  ],
  subprotocols: ['{{proto}}'],
  origin: 'https://{{site',
};

describe('unresolvedVariables', () => {
  it('names each unknown variable and bad template with its field, as the engine would', () => {
    expect(unresolvedVariables(draft, new Set(['host', 'token']), 'Staging')).toEqual([
      { field: 'subprotocol 1', path: 'options.subprotocols.0', message: '{{proto}} is unknown: the environment "Staging" does not define it' },
      { field: 'the origin', path: 'options.origin', message: '{{ at character 9 is not closed with }}' },
    ]);
  });

  it('says no environment is chosen when there is none; plain fields are never a problem', () => {
    expect(unresolvedVariables({ ...draft, subprotocols: [], origin: '' }, null, null).map((p) => p.message)).toEqual([
      '{{host}} is unknown: no environment is chosen',
      '{{token}} is unknown: no environment is chosen',
    ]);
    expect(unresolvedVariables({ url: 'wss://a/', headers: [], subprotocols: [], origin: '' }, null, null)).toEqual([]);
  });
});

describe('unresolvedVariables: the way out', () => {
  const plain = { url: 'wss://a/', headers: [], subprotocols: [], origin: '' };
  it('names a manual proxy’s URL and user name, a PAC URL, a sign-in’s user name and domain, with the engine’s paths', () => {
    const manual = unresolvedVariables({ ...plain, proxyMode: 'manual', proxyUrl: 'http://{{proxyHost}}:3128', proxyUsername: '{{user}}', proxyDomain: '{{d}}' }, new Set(['user']), 'Corp');
    expect(manual).toEqual([{ field: 'the proxy URL', path: 'options.proxy.url', message: '{{proxyHost}} is unknown: the environment "Corp" does not define it' }]);
    const pac = unresolvedVariables({ ...plain, proxyMode: 'pac', pacKind: 'location', pacLocation: 'http://{{wpad}}/wpad.dat', proxyUsername: '{{user}}', proxyDomain: '{{d}}' }, new Set(), 'Corp');
    expect(pac.map((p) => p.path)).toEqual(['options.proxy.source.url', 'options.proxyAuth.username', 'options.proxyAuth.domain']);
  });

  it('leaves what the engine does not fill alone: a PAC file path, a proxy URL in another mode', () => {
    expect(unresolvedVariables({ ...plain, proxyMode: 'pac', pacKind: 'location', pacLocation: '/etc/{{x}}.pac' }, null, null)).toEqual([]);
    expect(unresolvedVariables({ ...plain, proxyMode: 'none', proxyUrl: 'http://{{x}}:1' }, null, null)).toEqual([]);
  });
});
