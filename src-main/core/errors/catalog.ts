/**
 * Every error code's plain-language message and hint. A message says what failed; a hint
 * says what to do. Callers may give a more specific message (with the status line, the file
 * name, …) but every code has a default here, so no error reaches the user without a hint.
 * A hint never says where it is shown: the parts that depend on the place (a setting's field
 * or flag, "the answer above", a scheme's suggestion, the deadline) are worded by each host
 * (shared/hint-text.ts).
 */
import type { ErrorAction, ErrorCode, ErrorStage } from '../../shared/errors';
import { answer, onScheme, setting, text, type Hint } from '../../shared/hint-parts';

export interface CatalogEntry {
  /** The stage this code normally belongs to (a code may be reused at a related stage). */
  stage: ErrorStage;
  message: string;
  hint: Hint;
  actions?: ErrorAction[];
}

export const ERROR_CATALOG: Record<ErrorCode, CatalogEntry> = {
  PROXY_URL_INVALID: {
    stage: 'resolve',
    message: 'The proxy URL is not valid.',
    hint: 'Write it as http://host:port, https://host:port or socks5://host:port, with user:password@ before the host if the proxy needs credentials.',
  },
  PAC_FETCH_FAILED: {
    stage: 'resolve',
    message: 'The PAC file could not be loaded.',
    hint: 'Check the PAC URL or file path; open it in a browser to see whether it is reachable from this machine.',
  },
  PAC_INVALID: {
    stage: 'resolve',
    message: 'The PAC script could not be compiled or has no FindProxyForURL function.',
    hint: 'Check the PAC script for syntax errors; it must define function FindProxyForURL(url, host).',
  },
  PAC_EVALUATION_FAILED: {
    stage: 'resolve',
    message: 'The PAC script failed or returned an answer that is not a proxy list.',
    hint: 'FindProxyForURL must return a string such as "PROXY host:port; DIRECT". Check the script for this URL.',
  },
  SYSTEM_PROXY_FAILED: {
    stage: 'resolve',
    message: "The system's proxy settings could not be read.",
    hint: 'Choose the proxy by hand (Manual or PAC) or use the environment variables instead.',
  },
  PROXY_DNS_FAILED: {
    stage: 'proxy-connect',
    message: "The proxy's host name does not resolve.",
    hint: 'Check the spelling of the proxy host; corporate proxies are often only resolvable on the VPN or the office network.',
  },
  PROXY_CONNECTION_REFUSED: {
    stage: 'proxy-connect',
    message: 'The proxy refused the TCP connection (nothing listens on that port).',
    hint: 'Check the proxy port, and whether the proxy is running; the usual ports are 3128, 8080 and 8888.',
  },
  PROXY_UNREACHABLE: {
    stage: 'proxy-connect',
    message: 'The proxy cannot be reached from this machine (no route to it).',
    hint: 'Check the network connection, VPN and firewall between this machine and the proxy.',
  },
  PROXY_CONNECTION_RESET: {
    stage: 'proxy-connect',
    message: 'The proxy closed the connection before answering.',
    hint: 'The proxy may not speak the protocol chosen (http:// vs https:// vs socks5://) or may reject this client; check the proxy URL.',
  },
  PROXY_TIMEOUT: {
    stage: 'tunnel',
    message: 'The proxy did not complete the tunnel in time.',
    hint: 'The proxy is slow, overloaded or silently dropping the connection; try again, or check the proxy address.',
  },
  PROXY_TLS_UNTRUSTED_CERT: {
    stage: 'proxy-tls',
    message: "The https:// proxy's certificate is not trusted.",
    hint: [text("Add the proxy's CA certificate (PEM) as a proxy CA file"), setting('proxyCaFiles'), text(', or ask your IT department for it.')],
    actions: ['trust-ca-file'],
  },
  PROXY_TLS_HOSTNAME_MISMATCH: {
    stage: 'proxy-tls',
    message: "The https:// proxy's certificate is for a different host name.",
    hint: 'Use the proxy host name that its certificate names (see the names in its certificate).',
  },
  PROXY_TLS_CERT_EXPIRED: {
    stage: 'proxy-tls',
    message: "The https:// proxy's certificate has expired.",
    hint: "Tell the proxy's administrators; its certificate must be renewed.",
  },
  PROXY_TLS_CERT_NOT_YET_VALID: {
    stage: 'proxy-tls',
    message: "The https:// proxy's certificate is not valid yet.",
    hint: "Check this machine's clock first; otherwise tell the proxy's administrators that its certificate starts in the future.",
  },
  PROXY_TLS_HANDSHAKE_FAILED: {
    stage: 'proxy-tls',
    message: 'The TLS handshake with the https:// proxy failed.',
    hint: 'Check that the proxy really speaks TLS on this port; many proxies use plain http:// even on 443.',
  },
  PROXY_AUTH_REQUIRED: {
    stage: 'tunnel',
    message: 'The proxy requires authentication (407 Proxy Authentication Required).',
    hint: 'Enter the proxy user name and password and connect again.',
    actions: ['enter-proxy-credentials'],
  },
  PROXY_AUTH_FAILED: {
    stage: 'tunnel',
    message: 'The proxy rejected the credentials (407 after they were sent).',
    hint: 'Check the proxy user name and password; the account may also be locked or lack permission to use the proxy.',
    actions: ['enter-proxy-credentials'],
  },
  PROXY_AUTH_UNSUPPORTED: {
    stage: 'tunnel',
    message: 'The proxy asks for a sign-in that cannot be given (407 with no usable scheme).',
    hint: "Set the proxy sign-in scheme to Auto so that the strongest scheme the proxy offers is used, or ask the proxy's administrators which scheme it expects.",
    actions: ['enter-proxy-credentials'],
  },
  PROXY_AUTH_CONNECTION_CLOSED: {
    stage: 'tunnel',
    message: 'The proxy closed the connection in the middle of its sign-in; NTLM and Negotiate need one kept-alive connection.',
    hint: "NTLM and Negotiate sign in the connection itself, so the proxy (or a load balancer in front of it) must keep it open between its challenge and the answer. Ask the proxy's administrators to allow persistent client connections, or sign in with Digest or Basic where the proxy offers them.",
    actions: ['enter-proxy-credentials'],
  },
  PROXY_AUTH_BAD_CHALLENGE: {
    stage: 'tunnel',
    message: "The proxy's sign-in challenge is malformed and cannot be answered.",
    hint: "This is a fault of the proxy or of a gateway that rewrote its answer: tell the proxy's administrators what the error names, or sign in with another scheme the proxy offers.",
  },
  KERBEROS_UNAVAILABLE: {
    stage: 'tunnel',
    message: 'The proxy asks for Negotiate (Kerberos), but Kerberos cannot be used here: the optional kerberos module could not be loaded.',
    hint: 'Build the optional kerberos module: install libkrb5-dev (or krb5-devel) and a C++ toolchain, point npm_config_nodedir at the installed Node (its install prefix, e.g. /usr), then run npm rebuild kerberos. Or sign in with NTLM, Digest or Basic where the proxy offers them.',
  },
  KERBEROS_NO_TICKET: {
    stage: 'tunnel',
    message: 'The proxy asks for Negotiate (Kerberos), but there is no Kerberos ticket to sign in with.',
    hint: 'Get a ticket with kinit (klist shows what the credentials cache holds), then connect again; KRB5CCNAME names the cache that is used.',
  },
  KERBEROS_UNKNOWN_SPN: {
    stage: 'tunnel',
    message: "The Kerberos KDC does not know the proxy's service principal.",
    hint: 'Set the service principal the proxy is registered under (often HTTP@<the proxy\'s full DNS name>), or use the proxy by that name instead of an alias or an address; a host whose domain is in another realm needs that realm in krb5.conf\'s [domain_realm].',
  },
  KERBEROS_CLOCK_SKEW: {
    stage: 'tunnel',
    message: "This machine's clock and the Kerberos KDC's differ by more than Kerberos allows (usually 5 minutes).",
    hint: "Set this machine's clock right (NTP), then get a fresh ticket with kinit and connect again.",
  },
  KERBEROS_KDC_UNREACHABLE: {
    stage: 'tunnel',
    message: 'No Kerberos KDC for the realm could be reached.',
    hint: 'Check the network path to the KDC (VPN?) and the realm\'s kdc entries in krb5.conf (KRB5_CONFIG names the file that is used).',
  },
  KERBEROS_FAILED: {
    stage: 'tunnel',
    message: 'The Kerberos library could not produce a Negotiate token for the proxy.',
    hint: 'Read the Kerberos message in the details; klist shows the tickets held, and KRB5_TRACE=/dev/stderr makes the library say each step.',
  },
  PROXY_REFUSED: {
    stage: 'tunnel',
    message: 'The proxy refused to open the tunnel.',
    hint: [text('Read '), answer('proxy'), text(". Proxies often allow CONNECT only to port 443 or to listed hosts; ask the proxy's administrators to allow this host and port.")],
  },
  PROXY_UPSTREAM_UNREACHABLE: {
    stage: 'tunnel',
    message: 'The proxy could not reach the server (its connection to the server was refused, timed out, or the host name did not resolve).',
    hint: [text('Read '), answer('proxy'), text(". Check that the server is running and that its host name and port are right as the proxy sees them: the proxy connects to the server itself.")],
  },
  PROXY_NO_CONNECT: {
    stage: 'tunnel',
    message: 'The address answers HTTP but is not a proxy that accepts CONNECT.',
    hint: 'Check the proxy address and port: this one answers HTTP (a web server, or a proxy with CONNECT turned off) but does not open tunnels. Proxies usually listen on 3128, 8080 or 8888.',
  },
  PROXY_BAD_RESPONSE: {
    stage: 'tunnel',
    message: 'The proxy answered the CONNECT request with something that is not HTTP.',
    hint: 'The address may not be an HTTP proxy (a SOCKS proxy, a TLS port, another service); check the proxy URL and its scheme.',
  },
  PROXY_HEADERS_TOO_LARGE: {
    stage: 'tunnel',
    message: "The proxy's answer headers are larger than allowed.",
    hint: 'This is not a normal proxy answer; check the proxy address, or report the proxy to its administrators.',
  },
  PROXY_CLOSED: {
    stage: 'tunnel',
    message: 'The proxy closed the connection before it finished answering the CONNECT request.',
    hint: 'The proxy may have dropped the request (filtering, overload, or a protocol mismatch); check its logs or try another proxy.',
  },
  SOCKS_AUTH_FAILED: {
    stage: 'tunnel',
    message: 'The SOCKS proxy rejected the user name and password.',
    hint: 'Check the SOCKS credentials in the proxy URL or the proxy settings.',
    actions: ['enter-proxy-credentials'],
  },
  SOCKS_REFUSED: {
    stage: 'tunnel',
    message: 'The SOCKS proxy refused to connect to the server.',
    hint: 'The SOCKS proxy could not reach the server or its rules forbid it; check the server address and the proxy rules.',
  },
  DNS_FAILED: {
    stage: 'connect',
    message: "The server's host name does not resolve.",
    hint: 'Check the host name in the URL. If this network needs a proxy to reach the internet, choose one in the proxy settings.',
  },
  CONNECTION_REFUSED: {
    stage: 'connect',
    message: 'The server refused the TCP connection (nothing listens on that port).',
    hint: 'Check the port in the URL and that the server is running.',
  },
  HOST_UNREACHABLE: {
    stage: 'connect',
    message: 'The server cannot be reached from this machine (no route to it).',
    hint: 'Check the network, VPN and firewall; if this network needs a proxy, choose one in the proxy settings.',
  },
  CONNECT_TIMEOUT: {
    stage: 'connect',
    message: 'The TCP connection to the server did not complete in time.',
    hint: 'A firewall may be dropping the connection silently; if this network needs a proxy, choose one in the proxy settings.',
  },
  TLS_CERT_EXPIRED: {
    stage: 'tls',
    message: "The server's certificate has expired.",
    hint: "Tell the server's owners; the certificate must be renewed. Connect without verification only if you accept the risk.",
    actions: ['connect-insecure'],
  },
  TLS_CERT_NOT_YET_VALID: {
    stage: 'tls',
    message: "The server's certificate is not valid yet.",
    hint: "Check this machine's clock first; otherwise the server's certificate was issued with a future start date.",
    actions: ['connect-insecure'],
  },
  TLS_HOSTNAME_MISMATCH: {
    stage: 'tls',
    message: "The server's certificate is for a different host name.",
    hint: 'Connect with a host name the certificate lists (see the names in it), or ask the server owners to add this one.',
    actions: ['connect-insecure'],
  },
  TLS_UNTRUSTED_CERT: {
    stage: 'tls',
    message: "The server's certificate is not signed by a trusted authority.",
    hint: [text('If the server uses a private or self-signed certificate, add its CA certificate (PEM) as an extra CA file'), setting('tls.caFiles'), text('.')],
    actions: ['trust-ca-file', 'connect-insecure'],
  },
  TLS_HANDSHAKE_FAILED: {
    stage: 'tls',
    message: 'The TLS handshake with the server failed.',
    hint: [
      text('The server may not speak TLS on this port'),
      onScheme('wss:', ' (try ws:// instead of wss://)'),
      text(', or it requires a TLS version, cipher or client certificate this client does not offer.'),
    ],
  },
  TLS_CLIENT_CERT_INVALID: {
    stage: 'tls',
    message: 'The client certificate or its key could not be used.',
    hint: 'Check that the certificate and key are PEM files that belong together, and the passphrase if the key is encrypted.',
  },
  UPGRADE_REJECTED: {
    stage: 'upgrade',
    message: 'The server answered the WebSocket upgrade with an HTTP error instead of 101 Switching Protocols.',
    hint: [text('Read '), answer('server'), text(': a 401/403 usually means missing credentials or Origin, a 404 a wrong path, a 426 or 400 a missing header.')],
  },
  UPGRADE_BAD_ACCEPT: {
    stage: 'upgrade',
    message: "The server's Sec-WebSocket-Accept header does not match the key that was sent.",
    hint: 'Something between here and the server rewrote the handshake (a proxy or load balancer), or the server implements WebSocket wrongly.',
  },
  UPGRADE_UNREQUESTED_SUBPROTOCOL: {
    stage: 'upgrade',
    message: 'The server chose a subprotocol that was not requested.',
    hint: 'Request the subprotocol the server chose, or fix the server to pick only from the requested list.',
  },
  UPGRADE_MISSING_SUBPROTOCOL: {
    stage: 'upgrade',
    message: 'Subprotocols were requested but the server chose none.',
    hint: 'Check that the server supports one of the requested subprotocols, or request none.',
  },
  UPGRADE_INVALID_RESPONSE: {
    stage: 'upgrade',
    message: 'The server answered the upgrade with an invalid WebSocket handshake.',
    hint: [text('Read '), answer('server'), text('; the server (or something in front of it) does not implement the WebSocket handshake correctly.')],
  },
  UPGRADE_CONNECTION_CLOSED: {
    stage: 'upgrade',
    message: 'The connection closed before the server answered the upgrade.',
    hint: 'The server (or a proxy in front of it) dropped the request; check that the URL points at a WebSocket endpoint.',
  },
  UPGRADE_INVALID_REQUEST: {
    stage: 'upgrade',
    message: 'The upgrade request could not be built: a header, the Origin or a subprotocol has characters HTTP does not allow.',
    hint: 'Header values may hold only printable ASCII or Latin-1 characters, spaces and tabs; remove or percent-encode the others.',
  },
  HANDSHAKE_TIMEOUT: {
    stage: 'upgrade',
    message: 'The server did not answer the WebSocket upgrade in time.',
    hint: 'Check that the URL points at a WebSocket endpoint; the server may also be slow or busy.',
  },
  OPEN_TIMEOUT: {
    stage: 'connect',
    message: 'The connection did not open before the deadline.',
    hint: 'The stage says which leg was still running when the deadline passed: check that leg first.',
  },
  PROTOCOL_INVALID_UTF8: {
    stage: 'protocol',
    message: 'The server sent a text message that is not valid UTF-8 (closed with 1007).',
    hint: 'The server must send binary frames for non-text data; report this to its owners.',
  },
  PROTOCOL_MESSAGE_TOO_BIG: {
    stage: 'protocol',
    message: 'The server sent a message larger than the allowed maximum (closed with 1009).',
    hint: 'Raise the maximum message size in the connection settings if such messages are expected.',
  },
  PROTOCOL_ERROR: {
    stage: 'protocol',
    message: 'The server broke the WebSocket protocol (closed with 1002).',
    hint: 'Something sent frames that are not valid WebSocket; the details show what was wrong.',
  },
  CONNECTION_RESET: {
    stage: 'transport',
    message: 'The connection was reset.',
    hint: 'The server, a proxy or a firewall cut the connection; frames received so far are kept. Reconnect to continue.',
  },
  CONNECTION_LOST: {
    stage: 'transport',
    message: 'The connection ended without a WebSocket close frame.',
    hint: 'The server or something in between closed the connection abruptly (idle timeout, restart); frames received so far are kept.',
  },
  PEER_UNRESPONSIVE: {
    stage: 'transport',
    message: 'The server did not answer a keep-alive ping in time; the connection was cut.',
    hint: 'The tunnel stalled or the server hangs: a proxy, NAT or firewall may have dropped the connection without a word. Frames received so far are kept; reconnect. If the server is only slow, raise the keep-alive pong deadline.',
  },
  CLOSE_TIMEOUT: {
    stage: 'transport',
    message: 'The server did not answer the close; the connection was cut.',
    hint: 'A close frame was sent and none came back within the close deadline. The server may ignore close frames, or the tunnel stalled. Nothing is lost on this side: the frames are kept.',
  },
  SEND_QUEUE_FULL: {
    stage: 'transport',
    message: 'The server is not reading: the message was not sent.',
    hint: 'The send queue is full because the server (or a proxy between) stopped reading. The session stays open: send again once the queue drains, or close the session.',
  },
  INTERNAL_ERROR: {
    stage: 'transport',
    message: 'Tunnelscope hit an internal error and ended this session.',
    hint: "This is a bug in Tunnelscope, not in the network. Connect again; please report it with this error's details.",
  },
  LOCAL_FILE_UNREADABLE: {
    stage: 'tls',
    message: 'A file named in the settings could not be read.',
    hint: 'Check the path and that the file is readable by this user.',
  },
};
