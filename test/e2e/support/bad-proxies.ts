/**
 * Fake proxies with the answers real ones give when they refuse a CONNECT: a 407 asking for
 * credentials, and a TLS-inspecting gateway's `HTTP/1.0 500` with `Via` and an HTML body.
 */
import { startFakeProxy, type FakeProxy } from '../../support/fake-proxy';

export const GATEWAY_VIA = '1.0 10.0.0.1 (McAfee Web Gateway 7.2.0.1.0.13253)';
/** Markup that must be shown as text, never rendered (the script must not run either). */
export const GATEWAY_BODY =
  '<html><head><title>Handshake failed</title></head><body><h1 id="gateway-h1">Handshake failed</h1>' +
  '<script>window.__gatewayScriptRan = true</script><p>The SSL handshake with the server failed.</p></body></html>';

export function startAuthRequiredProxy(): Promise<FakeProxy> {
  return startFakeProxy(({ socket }) => {
    const body = 'Proxy authentication required';
    socket.end(
      'HTTP/1.1 407 Proxy Authentication Required\r\n' +
        'Proxy-Authenticate: Basic realm="corp"\r\n' +
        'Content-Type: text/plain\r\n' +
        `Content-Length: ${body.length}\r\n\r\n${body}`,
    );
  });
}

/** Asks for Basic credentials (407, then closes); with the right ones, tunnels to 127.0.0.1:`targetPort`. */
export function startBasicAuthProxy(user: string, password: string, targetPort: number): Promise<FakeProxy> {
  const expected = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
  return startFakeProxy((context) => {
    if (context.header('proxy-authorization') === expected) {
      context.tunnelTo(targetPort, 'HTTP/1.1 200 Connection established\r\n\r\n');
      return;
    }
    context.socket.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="corp"\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
  });
}

export function startGatewayErrorProxy(): Promise<FakeProxy> {
  return startFakeProxy(({ socket }) => {
    socket.end(
      'HTTP/1.0 500 handshakefailed\r\n' +
        `Via: ${GATEWAY_VIA}\r\n` +
        'Content-Type: text/html\r\n' +
        'Proxy-Connection: Close\r\n\r\n' +
        GATEWAY_BODY,
    );
  });
}
