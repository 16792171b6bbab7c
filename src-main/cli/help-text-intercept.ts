/** `tunnelscope intercept --help` (apart from help-text.ts, which other commands' flags keep busy). */
export const INTERCEPT_HELP = `Usage: tunnelscope intercept [options]
       tunnelscope intercept ca-cert [--out <file> [--force]]
       tunnelscope intercept passthrough [list | add <pattern> | remove <pattern>] [--profile <name>]

Runs an intercepting HTTP proxy for WebSockets. Point a client at it (HTTPS_PROXY, its proxy
setting, --proxy-server) and trust Tunnelscope's CA there: each WebSocket it opens becomes a
session with both directions captured, and reaches its server the way tunnelscope connect
would (the proxy variables, PAC, system settings or --upstream, with proxy sign-in).

Options:
  --port <n>               port to listen on (default 8899; 0: any free port, printed)
  --host <addr>            address to listen on (default 127.0.0.1); another than loopback
                           needs --allow-remote-clients
  --allow-remote-clients   listen on a non-loopback --host anyway (anyone who reaches it can
                           use your way out and see decrypted traffic)
  --upstream <url|none|auto>
                           the way out: a proxy URL (http://, https://, socks5://; user:password@
                           allowed, never printed, but visible in ps), none (direct), or auto
                           (default: the proxy variables, else the system settings, else direct)
  --proxy-user <user:pass> | @<file>
                           the upstream proxy's credentials (for --upstream <url> or auto), as
                           for connect: typed here the password is visible to every user in the
                           process list (a warning says so); @<file> reads the file's one line,
                           user:password; without the flag TUNNELSCOPE_PROXY_USER=user:password
                           is used (not with none or --profile; credentials in the URL win;
                           a URL with a user and no password, http://alice@proxy:3128, takes
                           that user's password from them)
  --profile <name>         go out the profile's way instead (its proxy setting, proxy sign-in,
                           the servers' trust and deadlines; not with --upstream, --ca,
                           --trust) and also pass through the profile's own passthrough
                           patterns (matched before the data folder's list); its way out's
                           {{variables}} are filled from its environment, as for connect
  --env <name>, --var name=value
                           with --profile: another saved environment, and values that win
                           over it (repeatable; name=@file reads a value from a file), as
                           connect --profile takes them
  --ca <file>              extra CA certificate (PEM) trusted for the real servers (repeatable)
  --trust <setting>        roots for the real servers: mozilla+os (default), mozilla, ca-files
  --deflate <mode>         permessage-deflate: strip (default: taken out of the client's offer,
                           none on either side) or keep (negotiated with each side apart); the
                           frames are relayed and logged uncompressed either way
  --passthrough <pattern>  tunnel this host untouched (no TLS termination, nothing captured),
                           beside the data folder's list: api.example.com, *.example.com (the
                           names under it) or an IP address; repeatable
  --timeout <ms>, --proxy-connect-timeout <ms>, --proxy-answer-timeout <ms>,
  --tls-timeout <ms>, --upgrade-timeout <ms>
                           the upstream legs' deadlines, as for connect; one that passes
                           answers the client 504
  --break [in:|out:]<text> hold the messages that contain the text (out: client to server,
                           in: server to client; both when not said), repeatable; those behind
                           a held one wait. Each is printed with its number; then on stdin:
                             forward <n> [text]   let it go (with this text instead)
                             forward-json <n> <json> / forward-hex <n> <hex>
                                                  … with this JSON (checked) or these bytes
                             drop <n>             it never arrives
                             forward-all          let every held message go
                             held                 list the held messages
                             inject <session> in|out <text>   (inject-json, inject-hex)
                                                  a message to the client (in) or the server
                                                  (out); <session>: the 8 characters printed
                             close <session> client|server <code> [reason]
  --break-regex [in:|out:]<regex>
                           the same with a regular expression
  --break-json [in:|out:]<jsonpath>
                           the same with a JSONPath ($.type, $[?(@.price > 10)])
  --break-host <host>      only messages of connections to this server (alone: all of them)
  --json                   one JSON line per event, each with its "session" id
  --data-dir <dir>         where the CA is kept (intercept-ca.json, its key encrypted) and the
                           passthrough list (intercept-passthrough.json)

ca-cert:
  Prints the CA certificate (PEM), making the CA first if there is none.
  --out <file>             write it to a new file instead (0644); --force replaces one

passthrough:
  The hosts every run tunnels untouched (for clients that pin their server's certificate or
  do not trust the CA): list prints them, add and remove change the list (one pattern each).
  --profile <name>: the profile's own list instead (used by intercept --profile <name>).

Exit status: 0 stopped with Ctrl-C, 1 the proxy could not start, 2 usage error.
`;
