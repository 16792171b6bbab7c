// WPAD and a settings PAC URL through the real PAC loader and sandbox: wpad.dat served by a local server on 127.0.0.1 (port 0);
// the DNS lookup is injected and the wpad URL is sent to that server, so no real name is ever resolved or contacted.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { disposePacWorkers, evaluatePac } from '../../../../src-main/core/proxy/pac-script';
import { routeToCandidate } from '../../../../src-main/core/proxy/proxy-endpoint';
import { createSystemProxy, type SystemProxyOptions } from '../../../../src-main/core/proxy/system/system-proxy';

const PAC = 'function FindProxyForURL(url, host) { return host === "echo.example" ? "PROXY wpad-chosen.corp:3128; DIRECT" : "DIRECT"; }';
const bodies: Record<string, { status: number; body: string }> = {
  '/good/wpad.dat': { status: 200, body: PAC },
  '/garbage/wpad.dat': { status: 200, body: '<html>not a PAC file</html>' },
  '/gone/wpad.dat': { status: 404, body: 'no' },
  '/settings.pac': { status: 200, body: PAC },
};
let server: Server;
let port = 0;

beforeAll(async () => {
  server = createServer((request, response) => {
    const answer = bodies[request.url ?? ''] ?? { status: 404, body: '' };
    response.writeHead(answer.status, { 'content-type': 'application/x-ns-proxy-autoconfig' });
    response.end(answer.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await disposePacWorkers();
});

/** `gsettings get <schema> <key>` answered from a table of keys. */
function gsettingsAnswers(answers: Record<string, string>, args: readonly string[]): string {
  return `${answers[args[2] ?? ''] ?? ''}\n`;
}

/** wpad.<domain> is served from this server's /<first label of domain>/wpad.dat. */
function options(searchLine: string, knownNames: string[]): SystemProxyOptions {
  return {
    env: { XDG_CURRENT_DESKTOP: 'GNOME' },
    platform: 'linux',
    run: async (_file, args) => gsettingsAnswers({ mode: "'auto'", 'autoconfig-url': "''" }, args),
    wpad: {
      readResolvConf: async () => `nameserver 10.0.0.53\n${searchLine}\n`,
      lookup: async (name) => {
        if (!knownNames.includes(name)) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${name}`), { code: 'ENOTFOUND' });
        return '127.0.0.1';
      },
    },
    loadPac: (url, query, deadline) => {
      const local = url.replace(/^http:\/\/wpad\.([^./]+)[^/]*\//, `http://127.0.0.1:${port}/$1/`);
      return evaluatePac({ kind: 'url', url: local }, query.pacUrl, query.pacHost, Math.max(1, deadline.remaining()));
    },
  };
}

async function ask(opts: SystemProxyOptions, url = 'wss://echo.example/'): Promise<{ urls: string[]; reason: string }> {
  const target = new URL(url);
  const result = await createSystemProxy(opts)({ target, pacUrl: 'https://echo.example/', pacHost: target.hostname, timeoutMs: 30_000 });
  return { urls: result.routes.map((route) => routeToCandidate(route).url), reason: result.steps.join('; ') };
}

describe('WPAD and PAC URLs from the system settings, through the PAC sandbox', () => {
  it('finds wpad.<search domain>, runs its wpad.dat and says each step', async () => {
    const result = await ask(options('search good.example', ['wpad.good.example']));
    expect(result.urls).toEqual(['http://wpad-chosen.corp:3128', 'direct']);
    expect(result.reason).toBe(
      `GNOME proxy settings: auto, no autoconfig-url (WPAD); WPAD: found http://wpad.good.example/wpad.dat; PAC returned "PROXY wpad-chosen.corp:3128; DIRECT" (http://127.0.0.1:${port}/good/wpad.dat)`,
    );
  });

  it('skips a wpad.dat that is garbage or missing, says why, and tries the next name', async () => {
    const result = await ask(options('search garbage.example gone.example good.example', ['wpad.garbage.example', 'wpad.gone.example', 'wpad.good.example']));
    expect(result.urls).toEqual(['http://wpad-chosen.corp:3128', 'direct']);
    expect(result.reason).toMatch(/WPAD: found http:\/\/wpad\.garbage\.example\/wpad\.dat but could not use it: The PAC file .* could not be loaded: the server sent an HTML page/);
    expect(result.reason).toContain('WPAD: found http://wpad.gone.example/wpad.dat but could not use it: The PAC file');
    expect(result.reason).toContain('the server answered 404 Not Found');
  });

  it('goes DIRECT when no wpad.dat can be used', async () => {
    const result = await ask(options('search garbage.example', ['wpad.garbage.example']));
    expect(result.urls).toEqual(['direct']);
    expect(result.reason).toMatch(/could not use it: .*; DIRECT$/);
  });

  it('runs a PAC URL the settings name (GNOME autoconfig-url)', async () => {
    const opts: SystemProxyOptions = {
      env: { XDG_CURRENT_DESKTOP: 'GNOME' },
      platform: 'linux',
      run: async (_file, args) => gsettingsAnswers({ mode: "'auto'", 'autoconfig-url': `'http://127.0.0.1:${port}/settings.pac'` }, args),
    };
    const result = await ask(opts);
    expect(result).toEqual({
      urls: ['http://wpad-chosen.corp:3128', 'direct'],
      reason: `GNOME proxy settings: auto, autoconfig-url http://127.0.0.1:${port}/settings.pac; PAC returned "PROXY wpad-chosen.corp:3128; DIRECT" (http://127.0.0.1:${port}/settings.pac)`,
    });
  });
});
