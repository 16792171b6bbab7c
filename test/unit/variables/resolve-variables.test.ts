import { describe, expect, it } from 'vitest';
import { parseTemplate, renderTemplate, type BuiltinSources } from '../../../src-main/shared/builtin-variables';
import { connectionOptionsSchema, type ConnectionOptionsInput } from '../../../src-main/shared/model';
import { resolveConnection, resolveMessage, resolveWayOut } from '../../../src-main/core/variables/resolve-variables';
import { VariableSet } from '../../../src-main/core/variables/variable-set';
import { renderBuiltins } from '../../../src-main/shared/builtin-variables';

const sources: BuiltinSources = {
  now: () => Date.UTC(2026, 0, 2, 3, 4, 5, 678),
  random: () => 0.25,
  uuid: () => '123e4567-e89b-42d3-a456-426614174000',
};

const staging = VariableSet.fromEnvironment('Staging', [
  ['host', { value: 'staging.example:8443', secret: false }],
  ['token', { value: 's3cret-token', secret: true }],
  ['proto', { value: 'graphql-ws', secret: false }],
  ['evil', { value: 'a\r\nX-Injected: 1', secret: false }],
  ['pathy', { value: 'x/../y', secret: false }],
]);

describe('parseTemplate', () => {
  const table: [string, string | { parts: unknown[]; variables: string[] }][] = [
    ['plain text', { parts: ['plain text'], variables: [] }],
    ['wss://{{host}}/ws', { parts: ['wss://', { variable: 'host' }, '/ws'], variables: ['host'] }],
    ['{{ host }}-{{host}}', { parts: [{ variable: 'host' }, '-', { variable: 'host' }], variables: ['host'] }],
    ['id={{$uuid}}&n={{ $counter }}', { parts: ['id=', { builtin: 'uuid' }, '&n=', { builtin: 'counter' }], variables: [] }],
    ['{{a.b-c_d}}', { parts: [{ variable: 'a.b-c_d' }], variables: ['a.b-c_d'] }],
    ['open {{', '{{ at character 6 is not closed with }}'],
    ['{{host', '{{ at character 1 is not closed with }}'],
    ['{{a{{b}}}}', '{{ at character 1 holds another {{ (at character 4): variables do not nest'],
    ['x {{}} y', '{{}} at character 3 names no variable'],
    ['{{  }}', '{{}} at character 1 names no variable'],
    ['{{two words}}', '{{two words}} at character 1 is not a variable name (a letter or _, then letters, digits, _, - and ., at most 100)'],
    ['{{9lives}}', '{{9lives}} at character 1 is not a variable name (a letter or _, then letters, digits, _, - and ., at most 100)'],
    ['{{$nope}}', 'unknown built-in {{$nope}} at character 1: the built-ins are {{$timestamp}}, {{$isoTimestamp}}, {{$uuid}}, {{$randomInt}}, {{$counter}}'],
    ['a }} b', { parts: ['a }} b'], variables: [] }],
  ];
  it.each(table)('%s', (text, expected) => {
    const parsed = parseTemplate(text);
    if (typeof expected === 'string') {
      expect(parsed.ok).toBe(false);
      if (!parsed.ok) expect(parsed.error).toBe(expected);
    } else {
      expect(parsed.ok).toBe(true);
      if (parsed.ok) expect({ parts: parsed.template.parts, variables: parsed.template.variables }).toEqual(expected);
    }
  });

  it('renders variables and built-ins together', () => {
    const parsed = parseTemplate('{{host}}@{{$timestamp}}#{{$randomInt}}');
    if (!parsed.ok) throw new Error(parsed.error);
    expect(renderTemplate(parsed.template, new Map([['host', 'h']]), 1, sources)).toBe('h@1767323045#250');
    expect(() => renderTemplate(parsed.template, new Map(), 1, sources)).toThrow('no value for {{host}}');
  });
});

function options(input: Partial<ConnectionOptionsInput>) {
  return connectionOptionsSchema.parse({ url: 'wss://fixed.example/', ...input });
}

describe('resolveConnection', () => {
  it('fills the URL, header values, subprotocols and origin, and collects the secret values used', () => {
    const result = resolveConnection(
      options({
        url: 'wss://{{host}}/ws?t={{$timestamp}}',
        headers: [
          { name: 'Authorization', value: 'Bearer {{token}}', secret: true },
          { name: 'X-Plain', value: 'no variables' },
        ],
        subprotocols: ['{{proto}}', 'v2.{{proto}}'],
        origin: 'https://{{host}}',
      }),
      staging,
      sources,
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.options.url).toBe('wss://staging.example:8443/ws?t=1767323045');
    expect(result.value.options.headers).toEqual([
      { name: 'Authorization', value: 'Bearer s3cret-token', secret: true },
      { name: 'X-Plain', value: 'no variables' },
    ]);
    expect(result.value.options.subprotocols).toEqual(['graphql-ws', 'v2.graphql-ws']);
    expect(result.value.options.origin).toBe('https://staging.example:8443');
    expect(result.value.secretValues).toEqual(['s3cret-token']);
  });

  it('leaves options without {{ as they are, with no secrets', () => {
    const plain = options({ headers: [{ name: 'X', value: 'y' }] });
    const result = resolveConnection(plain, staging, sources);
    expect(result).toEqual({ ok: true, value: { options: plain, secretValues: [] } });
  });

  const errors: [string, Partial<ConnectionOptionsInput>, VariableSet, string, string][] = [
    ['an unknown variable in the URL', { url: 'wss://{{hots}}/' }, staging, 'options.url', 'the URL: {{hots}} is not defined in the environment "Staging"; nothing was sent'],
    ['any variable without an environment', { url: 'wss://{{host}}/' }, VariableSet.empty(), 'options.url', 'the URL: {{host}} is not defined: no environment is chosen; nothing was sent'],
    [
      'an unknown variable in a header',
      { headers: [{ name: 'A', value: 'ok' }, { name: 'X-Key', value: '{{apiKey}}' }] },
      staging,
      'options.headers.1.value',
      'header X-Key: {{apiKey}} is not defined in the environment "Staging"; nothing was sent',
    ],
    ['an unknown variable in a subprotocol', { subprotocols: ['{{nope}}'] }, staging, 'options.subprotocols.0', 'subprotocol 1: {{nope}} is not defined in the environment "Staging"; nothing was sent'],
    ['an unknown variable in the origin', { origin: '{{site}}' }, staging, 'options.origin', 'the origin: {{site}} is not defined in the environment "Staging"; nothing was sent'],
    [
      'a value that would split a header',
      { headers: [{ name: 'X-Evil', value: '{{evil}}' }] },
      staging,
      'options.headers.0.value',
      'header X-Evil, once its variables were filled in: a header value may not contain CR, LF or NUL; nothing was sent',
    ],
    [
      'a value that is not a token in a subprotocol',
      { subprotocols: ['{{pathy}}'] },
      staging,
      'options.subprotocols.0',
      "subprotocol 1, once its variables were filled in: a subprotocol is a token: letters, digits and !#$%&'*+-.^_`|~; nothing was sent",
    ],
    [
      'a URL that is not a URL once filled in',
      { url: '{{proto}}/x' },
      staging,
      'options.url',
      'the URL, once its variables were filled in: it is not a URL (expected ws://host[:port]/path or wss://host[:port]/path); nothing was sent',
    ],
  ];
  it.each(errors)('refuses %s, naming the variable and the field', (_what, input, variables, path, message) => {
    const result = resolveConnection(options(input), variables, sources);
    expect(result).toEqual({ ok: false, error: { code: 'INVALID_ARGUMENT', message, path } });
  });

  it('values given on the spot win over the environment; under a credential\'s name they are redacted, not secret', () => {
    const variables = staging.withValues([
      { name: 'token', value: 'typed-token' },
      { name: 'proto', value: 'typed-proto' },
    ]);
    const result = resolveConnection(options({ headers: [{ name: 'Authorization', value: 'Bearer {{token}}' }], subprotocols: ['{{proto}}'] }), variables, sources);
    expect(result.ok && result.value.options.headers[0]?.value).toBe('Bearer typed-token');
    // The session redacts the credential-named one; the ordinary one stays readable.
    expect(result.ok && result.value.secretValues).toEqual(['typed-token']);
    // Not a secret: it may go into a message, since the caller typed it.
    const message = resolveMessage('key {{token}}', variables);
    expect(message).toMatchObject({ ok: true });
    expect(VariableSet.empty().withValues([{ name: 'x', value: '1' }]).missing()).toBe('is not defined in values given with the connection');
  });
});

describe('the contract takes templates where values are checked after filling in', () => {
  it('accepts {{…}} in the URL and subprotocols, and refuses bad template syntax there', () => {
    expect(connectionOptionsSchema.safeParse({ url: 'wss://{{host}}/ws', subprotocols: ['{{proto}}'] }).success).toBe(true);
    expect(connectionOptionsSchema.safeParse({ url: '{{base}}/ws' }).success).toBe(true);
    const unclosed = connectionOptionsSchema.safeParse({ url: 'wss://{{host/ws' });
    expect(unclosed.success ? '' : unclosed.error.issues[0]?.message).toBe('{{ at character 7 is not closed with }}');
    const scheme = connectionOptionsSchema.safeParse({ url: 'https://{{host}}/' });
    expect(scheme.success ? '' : scheme.error.issues[0]?.message).toBe('the URL must start with ws:// or wss:// (or a variable that holds the start)');
    const token = connectionOptionsSchema.safeParse({ url: 'wss://a/', subprotocols: ['a b{{x}}'] });
    expect(token.success).toBe(false);
  });
});

describe('resolveMessage', () => {
  it('fills variables now and leaves built-ins for each send', () => {
    const result = resolveMessage('{"to":"{{host}}","n":{{$counter}}}', staging);
    if (!result.ok) throw new Error(result.error);
    expect(result.template.dynamic).toBe(true);
    expect(renderBuiltins(result.template, 3, sources)).toBe('{"to":"staging.example:8443","n":3}');
  });

  it('refuses a secret variable, an unknown one and bad syntax', () => {
    expect(resolveMessage('{{token}}', staging)).toEqual({
      ok: false,
      error: '{{token}} is a secret variable: secrets are not put into messages, since the log shows every frame as it was sent',
    });
    expect(resolveMessage('hi {{who}}', staging)).toEqual({ ok: false, error: '{{who}} is not defined in the environment "Staging"' });
    expect(resolveMessage('hi {{', staging)).toEqual({ ok: false, error: '{{ at character 4 is not closed with }}' });
  });

  it('a message with variables only becomes plain text', () => {
    const result = resolveMessage('to {{proto}}', staging);
    expect(result).toEqual({ ok: true, template: { parts: ['to graphql-ws'], dynamic: false } });
  });
});

describe('the way out: proxy URL, PAC URL, proxy user name and domain', () => {
  const corp = VariableSet.fromEnvironment('Corp', [
    ['proxyHost', { value: 'proxy.corp.example', secret: false }],
    ['user', { value: 'ann', secret: false }],
    ['domain', { value: 'CORP', secret: false }],
    ['pacHost', { value: 'wpad.corp.example', secret: true }],
    ['evil', { value: 'a\r\nb', secret: false }],
  ]);
  const manual = options({
    url: 'wss://{{host}}/ws',
    proxy: { mode: 'manual', url: 'http://{{proxyHost}}:3128' },
    proxyAuth: { username: '{{user}}', password: 'p{{w}}', domain: '{{domain}}' },
  });

  it('a connection fills them with the rest (the password is sent as typed)', () => {
    const filled = resolveConnection(manual, corp.withValues([{ name: 'host', value: 'api.example' }]), sources);
    if (!filled.ok) throw new Error(filled.error.message);
    expect(filled.value.options.url).toBe('wss://api.example/ws');
    expect(filled.value.options.proxy).toEqual({ mode: 'manual', url: 'http://proxy.corp.example:3128' });
    expect(filled.value.options.proxyAuth).toEqual({ username: 'ann', password: 'p{{w}}', domain: 'CORP' });
  });

  it('resolveWayOut fills only them: the URL and headers are not asked for', () => {
    const filled = resolveWayOut(manual, corp, sources);
    if (!filled.ok) throw new Error(filled.error.message);
    expect(filled.value.options.url).toBe('wss://{{host}}/ws');
    expect(filled.value.options.proxy).toEqual({ mode: 'manual', url: 'http://proxy.corp.example:3128' });
    expect(filled.value.options.proxyAuth?.username).toBe('ann');
    const pac = resolveWayOut(options({ proxy: { mode: 'pac', source: { kind: 'url', url: 'http://{{pacHost}}/wpad.dat' } } }), corp, sources);
    expect(pac.ok && pac.value.options.proxy).toEqual({ mode: 'pac', source: { kind: 'url', url: 'http://wpad.corp.example/wpad.dat' } });
    expect(pac.ok && pac.value.secretValues).toEqual(['wpad.corp.example']);
  });

  it('a missing or bad one is named with its field, in the same words for a connection and a way out alone', () => {
    const missing = options({ proxy: { mode: 'manual', url: 'http://{{nope}}:3128' } });
    const words = 'the proxy URL: {{nope}} is not defined in the environment "Corp"; nothing was sent';
    expect(resolveWayOut(missing, corp, sources)).toEqual({ ok: false, error: { code: 'INVALID_ARGUMENT', message: words, path: 'options.proxy.url' } });
    expect(resolveConnection(missing, corp, sources)).toEqual({ ok: false, error: { code: 'INVALID_ARGUMENT', message: words, path: 'options.proxy.url' } });
    expect(resolveWayOut(missing, VariableSet.empty(), sources)).toMatchObject({ ok: false, error: { message: 'the proxy URL: {{nope}} is not defined: no environment is chosen; nothing was sent' } });
    const injected = resolveWayOut(options({ proxy: { mode: 'auto' }, proxyAuth: { username: '{{evil}}', password: '' } }), corp, sources);
    expect(injected).toMatchObject({ ok: false, error: { path: 'options.proxyAuth.username', message: expect.stringContaining('the proxy user name, once its variables were filled in: a control character') } });
    const notUrl = resolveWayOut(options({ proxy: { mode: 'manual', url: 'http://{{user}}:3128' } }), corp.withValues([{ name: 'user', value: 'a b' }]), sources);
    expect(notUrl).toMatchObject({ ok: false, error: { path: 'options.proxy.url', message: expect.stringMatching(/^the proxy URL, once its variables were filled in: /) } });
  });
});

describe('a tab’s manual proxy user name (kept in the proxy setting)', () => {
  it('is filled like a profile’s sign-in user name', () => {
    const set = VariableSet.fromEnvironment('Corp', [['user', { value: 'ann', secret: false }]]);
    const filled = resolveConnection(options({ proxy: { mode: 'manual', url: 'http://proxy:3128', username: '{{user}}', password: 'x' } }), set, sources);
    expect(filled.ok && filled.value.options.proxy).toEqual({ mode: 'manual', url: 'http://proxy:3128', username: 'ann', password: 'x' });
    expect(resolveConnection(options({ proxy: { mode: 'manual', url: 'http://proxy:3128', username: '{{who}}' } }), set, sources)).toMatchObject({
      ok: false,
      error: { path: 'options.proxy.username', message: 'the proxy user name: {{who}} is not defined in the environment "Corp"; nothing was sent' },
    });
  });
});
