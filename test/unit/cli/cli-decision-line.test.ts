/** The CLI's Proxy line says the routes as the app does (shared/decision-route.ts), fallbacks included. */
import { describe, expect, it } from 'vitest';
import { formatDecision, PLAIN } from '../../../src-main/cli/human-output';
import type { ProxyDecision } from '../../../src-main/shared/model';

const failedThenSquid: ProxyDecision = {
  source: 'pac',
  reason: 'FindProxyForURL returned "PROXY 127.0.0.1:1; PROXY 127.0.0.1:46051"; http://127.0.0.1:1 failed (PROXY_CONNECTION_REFUSED), trying http://127.0.0.1:46051',
  candidates: [
    { url: 'http://127.0.0.1:1', protocol: 'http', host: '127.0.0.1', port: 1, hasCredentials: false },
    { url: 'http://127.0.0.1:46051', protocol: 'http', host: '127.0.0.1', port: 46051, hasCredentials: false },
  ],
};

describe('the Proxy line of a decision', () => {
  it('names every route in order, as the app does, not only the first (which may have failed)', () => {
    const [head] = formatDecision(failedThenSquid, PLAIN);
    expect(head).toBe('Proxy    via http://127.0.0.1:1, then http://127.0.0.1:46051  [pac]');
  });

  it('one proxy: "via" it; direct only: none', () => {
    const one: ProxyDecision = { ...failedThenSquid, source: 'manual', candidates: [{ url: 'http://proxy:3128', protocol: 'http', host: 'proxy', port: 3128, hasCredentials: true }] };
    expect(formatDecision(one, PLAIN)[0]).toBe('Proxy    via http://proxy:3128 (with credentials)  [manual]');
    const direct: ProxyDecision = { source: 'none', reason: 'no proxy set', candidates: [{ url: 'direct', protocol: 'direct', host: '', port: 0, hasCredentials: false }] };
    expect(formatDecision(direct, PLAIN)).toEqual(['Proxy    none (direct connection)  [none]', '         no proxy set']);
  });
});
