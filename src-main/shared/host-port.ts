/**
 * `host:port` as a URL authority, a Host header or a message writes it: an IPv6 address goes in
 * brackets. One rule for the engine, the hosts and the contract, so a peer is named the same
 * way in an error, a proxy summary and a copied command.
 */

/** An IPv6 address in brackets; a name, an IPv4 address or an already bracketed host as given. */
export function bracketHost(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

/** `example.com:443`, `[::1]:8080`. */
export function formatHostPort(host: string, port: number): string {
  return `${bracketHost(host)}:${port}`;
}
