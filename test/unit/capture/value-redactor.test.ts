import { describe, expect, it } from 'vitest';
import { REDACTED } from '../../../src-main/core/capture/redact';
import { credentialSecrets, routeSecrets, sessionSecretsOf } from '../../../src-main/core/capture/session-secrets';
import { MIN_SECRET_LENGTH, ValueRedactor } from '../../../src-main/core/capture/value-redactor';
import type { NetError } from '../../../src-main/shared/errors';
import { connectionOptionsSchema, type ConnectionOptionsInput } from '../../../src-main/shared/model';

describe('ValueRedactor', () => {
  it('replaces a secret as it is, percent-encoded (both ways of writing a space) and JSON-escaped', () => {
    const redactor = new ValueRedactor(['s3cr "et"/x y']);
    expect(redactor.text('a s3cr "et"/x y b')).toBe(`a ${REDACTED} b`);
    expect(redactor.text(`?p=${encodeURIComponent('s3cr "et"/x y')}`)).toBe(`?p=${REDACTED}`);
    expect(redactor.text('?p=s3cr+%22et%22%2Fx+y')).toBe(`?p=${REDACTED}`);
    expect(redactor.text('?p=s3cr%20%22et%22%2fx%20y')).toBe(`?p=${REDACTED}`);
    expect(redactor.text('{"p":"s3cr \\"et\\"/x y"}')).toBe(`{"p":"${REDACTED}"}`);
  });

  it(`ignores values shorter than ${MIN_SECRET_LENGTH} characters (they would mangle everything)`, () => {
    const redactor = new ValueRedactor(['abc', '', 'abcd']);
    expect(redactor.text('abc abcd')).toBe(`abc ${REDACTED}`);
    expect(new ValueRedactor(['pw']).empty).toBe(true);
  });

  it('replaces the longer of two overlapping secrets whole', () => {
    const redactor = new ValueRedactor(['token', 'Bearer token']);
    expect(redactor.text('got Bearer token')).toBe(`got ${REDACTED}`);
  });

  it('learns secrets later (a chosen proxy) and keeps the earlier ones', () => {
    const redactor = new ValueRedactor(['first-secret']);
    redactor.add(['second-secret']);
    expect(redactor.text('first-secret second-secret')).toBe(`${REDACTED} ${REDACTED}`);
  });

  it('redacts headers, body and start line of a capture, the texts of an error, and a decision reason', () => {
    const redactor = new ValueRedactor(['hunter22']);
    const capture = { startLine: 'HTTP/1.1 407 hunter22', headers: [['X-Echo', 'pw=hunter22'] as [string, string]], bodyPreview: 'hunter22!' };
    expect(redactor.capture(capture)).toEqual({ startLine: `HTTP/1.1 407 ${REDACTED}`, headers: [['X-Echo', `pw=${REDACTED}`]], bodyPreview: `${REDACTED}!` });
    const error: NetError = {
      kind: 'net',
      stage: 'tunnel',
      code: 'PROXY_AUTH_FAILED',
      message: 'm hunter22',
      hint: 'h',
      details: { proxyResponse: capture, causeMessage: 'c hunter22', closeReason: 'hunter22', authRealm: 'r hunter22', target: 'host:1' },
    };
    const redacted = redactor.netError(error);
    expect(JSON.stringify(redacted)).not.toContain('hunter22');
    expect(redacted.details.target).toBe('host:1');
    const decision = { source: 'pac' as const, reason: 'PAC from http://u:hunter22@h/', candidates: [{ url: 'direct', protocol: 'direct' as const, host: '', port: 0, hasCredentials: false }] };
    expect(redactor.decision(decision).reason).toBe(`PAC from http://u:${REDACTED}@h/`);
  });

  it('returns the same objects when it knows no secret', () => {
    const redactor = new ValueRedactor();
    const capture = { startLine: 'x', headers: [] };
    expect(redactor.capture(capture)).toBe(capture);
  });
});

describe('sessionSecretsOf', () => {
  const secretsOf = (input: ConnectionOptionsInput): string[] => sessionSecretsOf(connectionOptionsSchema.parse(input));
  const basic = (user: string, password: string): string => Buffer.from(`${user}:${password}`).toString('base64');

  it('collects every kind of secret a connection carries, with the Basic token of each pair', () => {
    const secrets = secretsOf({
      url: 'wss://bob:url%20pass@h/',
      proxy: { mode: 'manual', url: 'http://carol:inurl@p:3128', username: 'dave', password: 'manualpw' },
      proxyAuth: { username: 'alice', password: 'authpw' },
      headers: [
        { name: 'X-Marked', value: 'marked-value', secret: true },
        { name: 'Authorization', value: `Basic ${basic('erin', 'hdrpw')}` },
        { name: 'X-Api-Key', value: 'api-key-value' },
        { name: 'Accept', value: 'text/plain' },
      ],
      tls: { certFile: '/c.pem', keyFile: '/k.pem', passphrase: 'keypass' },
    });
    expect(secrets).toEqual(
      expect.arrayContaining([
        'url pass',
        basic('bob', 'url pass'),
        'authpw',
        basic('alice', 'authpw'),
        'inurl',
        basic('carol', 'inurl'),
        'manualpw',
        basic('dave', 'manualpw'),
        'marked-value',
        basic('erin', 'hdrpw'),
        'hdrpw',
        'api-key-value',
        'keypass',
      ]),
    );
    expect(secrets).not.toContain('text/plain');
  });

  it('collects the credentials of a PAC URL', () => {
    expect(secretsOf({ url: 'ws://h/', proxy: { mode: 'pac', source: { kind: 'url', url: 'http://u:pacpass@pac.test/p.pac' } } })).toEqual(['pacpass', basic('u', 'pacpass')]);
  });

  it('collects nothing from a connection without secrets', () => {
    expect(secretsOf({ url: 'ws://h/', headers: [{ name: 'Accept', value: 'x' }] })).toEqual([]);
  });

  it('takes the credentials of chosen proxies, not of direct routes', () => {
    expect(routeSecrets([{ kind: 'direct' }, { kind: 'proxy', proxy: { protocol: 'http', host: 'p', port: 1, username: 'u', password: 'envpass', displayUrl: 'http://p:1' } }])).toEqual(
      credentialSecrets({ username: 'u', password: 'envpass' }),
    );
  });
});
