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
