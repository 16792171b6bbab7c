/**
 * The app's upstream choice (intercept-proxy:start's `upstream`) as the relays take it: the
 * proxy setting, the sign-in, and the words the status shows, which never carry a password.
 */
import { describe, expect, it } from 'vitest';
import { upstreamChoice } from '../../../src-main/core/intercept/intercept-service';
import { isLoopbackHost, interceptStartArgSchema } from '../../../src-main/shared/intercept-proxy';

describe('the upstream choice', () => {
  it('auto and none are the engine’s proxy modes, in words', () => {
    expect(upstreamChoice({ mode: 'auto' }, 'strip')).toEqual({
      ok: true,
      value: { choice: { proxy: { mode: 'auto' }, tls: { caFiles: [] }, deflate: 'strip' }, text: 'auto (the proxy variables, else the system settings, else direct)' },
    });
    expect(upstreamChoice({ mode: 'none' }, 'keep')).toMatchObject({ ok: true, value: { choice: { proxy: { mode: 'none' }, deflate: 'keep' }, text: 'none (direct)' } });
  });

  it('a proxy URL: credentials in it become the sign-in, the fields win over them, and the words leave them out', () => {
    expect(upstreamChoice({ mode: 'manual', url: 'http://alice:s3cret@proxy.corp:3128' }, 'strip')).toMatchObject({
      ok: true,
      value: { choice: { proxy: { mode: 'manual', url: 'http://proxy.corp:3128' }, proxyAuth: { username: 'alice', password: 's3cret' } }, text: 'http://proxy.corp:3128' },
    });
    const fields = upstreamChoice({ mode: 'manual', url: 'http://alice:old@proxy.corp:3128', username: 'bob', password: 'new' }, 'strip');
    expect(fields).toMatchObject({ ok: true, value: { choice: { proxyAuth: { username: 'bob', password: 'new' } } } });
    expect(JSON.stringify(fields.ok && fields.value.text)).not.toContain('old');
    expect(upstreamChoice({ mode: 'manual', url: 'socks5://127.0.0.1:1080' }, 'strip')).toMatchObject({ ok: true, value: { choice: { proxy: { url: 'socks5://127.0.0.1:1080' } } } });
    expect(upstreamChoice({ mode: 'manual', url: 'http://proxy.corp:3128' }, 'strip')).not.toMatchObject({ value: { choice: { proxyAuth: expect.anything() } } });
  });
});

describe('where the proxy may listen', () => {
  it('loopback: 127.0.0.0/8, ::1, localhost, an IPv4-mapped loopback', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', '::1', '[::1]', 'localhost', 'LOCALHOST', '::ffff:127.0.0.1']) expect(isLoopbackHost(host), host).toBe(true);
    for (const host of ['0.0.0.0', '::', '192.168.1.2', 'example.com', '128.0.0.1']) expect(isLoopbackHost(host), host).toBe(false);
  });

  it('the start argument: defaults, and another address only with allowRemote', () => {
    expect(interceptStartArgSchema.parse({})).toEqual({ port: 8899, host: '127.0.0.1', allowRemote: false, upstream: { mode: 'auto' }, deflate: 'strip', serverTrust: { caFiles: [] } });
    const refused = interceptStartArgSchema.safeParse({ host: '192.168.1.2' });
    expect(refused.success).toBe(false);
    expect(refused.error?.issues[0]).toMatchObject({ path: ['host'], message: expect.stringContaining('192.168.1.2 is not a loopback address') });
    expect(interceptStartArgSchema.safeParse({ host: '192.168.1.2', allowRemote: true }).success).toBe(true);
    expect(interceptStartArgSchema.safeParse({ port: -1 }).error?.issues[0]?.path).toEqual(['port']);
    expect(interceptStartArgSchema.safeParse({ deflate: 'remove' }).error?.issues[0]?.path).toEqual(['deflate']);
  });
});
