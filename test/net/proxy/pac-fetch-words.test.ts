/**
 * The PAC download's plain words for a port fetch refuses (the Fetch standard's bad ports) and
 * for an HTML page (a login or captive portal) sent where the PAC script should be.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NetFailure } from '../../../src-main/core/errors/net-failure';
import { disposePacWorkers } from '../../../src-main/core/proxy/pac-script';
import { BAD_PORT_HINT, badPortWords, FETCH_BAD_PORTS, HTML_PAGE_HINT, htmlTitle, looksLikeHtml } from '../../../src-main/core/proxy/pac-fetch-words';
import { resolveProxy } from '../../../src-main/core/proxy/resolve';

const GOOD_PAC = 'function FindProxyForURL(url, host) { return "PROXY pac.corp:3128; DIRECT"; }';
const PORTAL = `<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>
  Guest Wi-Fi &amp; Sign&#x2d;in
</title></head><body><form>…</form></body></html>`;

let server: http.Server;
let base: string;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    switch (req.url) {
      case '/portal':
        res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
        res.end(PORTAL);
        return;
      case '/untyped-markup':
        // No Content-Type, no title: the leading `<` alone says it is markup.
        res.writeHead(200);
        res.end('\n  <html><body>Please log in</body></html>');
        return;
      case '/comment-pac':
        // `<!--` is a comment line in JavaScript: a script served as a script still runs.
        res.writeHead(200, { 'Content-Type': 'application/x-ns-proxy-autoconfig' });
        res.end(`<!-- corporate PAC\n${GOOD_PAC}`);
        return;
      case '/pac-as-html':
        // A misconfigured server calls the script HTML: the body decides.
        res.writeHead(200, { 'Content-Type': 'text/html' });
        res.end(GOOD_PAC);
        return;
      case '/to-bad-port':
        res.writeHead(302, { Location: 'http://127.0.0.1:1/proxy.pac' });
        res.end();
        return;
      default:
        res.writeHead(404);
        res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await disposePacWorkers();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

async function failure(url: string): Promise<NetFailure> {
  try {
    await resolveProxy('wss://echo.example/', { mode: 'pac', source: { kind: 'url', url } }, undefined, { env: {}, pacTimeoutMs: 15_000 });
  } catch (error) {
    if (error instanceof NetFailure) return error;
    throw error;
  }
  throw new Error('expected a NetFailure');
}

async function routesOf(url: string): Promise<string> {
  const resolved = await resolveProxy('wss://echo.example/', { mode: 'pac', source: { kind: 'url', url } }, undefined, { env: {}, pacTimeoutMs: 15_000 });
  return JSON.stringify(resolved);
}

describe('PAC download: ports that fetch refuses', () => {
  // fetch refuses these before connecting, so nothing needs to listen on them.
  it.each(['9', '1', '6000'])('names port %s and says what list it is on', async (port) => {
    const failed = await failure(`http://127.0.0.1:${port}/p.pac`);
    expect(failed.netError.code).toBe('PAC_FETCH_FAILED');
    expect(failed.netError.message).toBe(
      `The PAC file http://127.0.0.1:${port}/p.pac could not be loaded: the port ${port} is on the list of ports that web fetches refuse ` +
        "(the Fetch standard's bad ports, such as 1, 9, 25, 110, 6000 and 10080); serve the PAC file on another port.",
    );
    expect(failed.netError.details.causeMessage).toBe('bad port');
    expect(failed.netError.hint).toBe(BAD_PORT_HINT);
  });

  it('a redirect to a refused port says the redirect led there', async () => {
    const failed = await failure(`${base}/to-bad-port`);
    expect(failed.netError.code).toBe('PAC_FETCH_FAILED');
    expect(failed.netError.message).toContain('could not be loaded: a redirect led to a port on the list of ports that web fetches refuse');
  });

  it('the list is the one fetch enforces: fetch refuses every listed port', async () => {
    for (const port of FETCH_BAD_PORTS) {
      const caught = await fetch(`http://127.0.0.1:${port}/`).then(
        () => undefined,
        (error: unknown) => (error instanceof Error && error.cause instanceof Error ? error.cause.message : String(error)),
      );
      expect(caught, `port ${port}`).toBe('bad port');
    }
    expect(badPortWords('http://127.0.0.1:8080/p.pac')).toContain('a redirect led to');
    expect(badPortWords('https://pac.corp:995/p.pac')).toContain('the port 995 is on the list');
  });
});

describe('PAC download: an HTML page instead of the script', () => {
  it('a portal page: its title, status and Content-Type', async () => {
    const failed = await failure(`${base}/portal`);
    expect(failed.netError.code).toBe('PAC_FETCH_FAILED');
    expect(failed.netError.message).toBe(
      `The PAC file ${base}/portal could not be loaded: the server sent an HTML page titled "Guest Wi-Fi & Sign-in" ` +
        '(200 OK, Content-Type text/html; charset=utf-8), not a PAC script; most likely a login or captive-portal page.',
    );
    expect(failed.netError.hint).toBe(HTML_PAGE_HINT);
  });

  it('markup with no Content-Type and no title', async () => {
    const failed = await failure(`${base}/untyped-markup`);
    expect(failed.netError.code).toBe('PAC_FETCH_FAILED');
    expect(failed.netError.message).toContain('the server sent an HTML page (200 OK, no Content-Type), not a PAC script');
  });

  it('a script that starts with a <!-- comment line still runs', async () => {
    expect(await routesOf(`${base}/comment-pac`)).toContain('pac.corp');
  });

  it('a script served as text/html still runs', async () => {
    expect(await routesOf(`${base}/pac-as-html`)).toContain('pac.corp');
  });

  it('looksLikeHtml and htmlTitle', () => {
    expect(looksLikeHtml('\uFEFF<html>', null)).toBe(true);
    expect(looksLikeHtml('<!-- x -->\n<html>', 'text/html')).toBe(true);
    expect(looksLikeHtml('<!-- x\nfunction FindProxyForURL(){}', 'text/plain')).toBe(false);
    expect(looksLikeHtml('function FindProxyForURL(){ return "<b>"; }', 'text/html')).toBe(false);
    expect(htmlTitle('<title></title>')).toBeUndefined();
    expect(htmlTitle('<TITLE lang="en">A &lt;b&gt; &#39;c&#39; &bogus;</TITLE>')).toBe("A <b> 'c' &bogus;");
    expect(htmlTitle(`<title>${'x'.repeat(300)}</title>`)?.length).toBe(120);
  });
});
