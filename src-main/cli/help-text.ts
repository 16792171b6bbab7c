/** The --help texts, kept apart so the parser reads as logic. */

export const MAIN_HELP = `tunnelscope: open WebSocket connections through HTTP proxies and see every leg.

Usage:
  tunnelscope connect <ws://… | wss://…> [options]   open a session, show proxy, CONNECT, TLS, upgrade, frames
  tunnelscope resolve <ws://… | wss://…> [options]   show which proxy would be used, and why
  tunnelscope <command> --help                       options of a command

Exit status: 0 opened and closed normally (or resolved), 1 the connection failed, 2 usage error.
`;

const PROXY_FLAGS = `Proxy (choose one; default: the environment, WS_PROXY/WSS_PROXY, HTTP_PROXY/HTTPS_PROXY, ALL_PROXY, NO_PROXY):
  --proxy <url>            http://, https:// or socks5:// proxy (user:password@ allowed)
  --no-proxy               connect directly
  --pac <url|file>         decide with a PAC file (http(s):// URL, file: URL or a path)
  --proxy-user <user:pass> credentials for the proxy (Basic; never printed)`;

export const CONNECT_HELP = `Usage: tunnelscope connect <ws://… | wss://…> [options]

${PROXY_FLAGS}
  --proxy-ca <file>        extra CA (PEM) for an https:// proxy's certificate (repeatable)

Handshake:
  -H, --header 'Name: v'   extra request header (repeatable; Authorization, Cookie, *token* … are redacted)
  --subprotocol <name>     offer a subprotocol (repeatable)
  --origin <origin>        Origin header
  --ca <file>              extra CA (PEM) to trust for the server (repeatable)
  --insecure               do NOT verify the server's certificate (marked INSECURE in the output)
  --cert <file> --key <file>  client certificate and key (PEM)
  --timeout <ms>           deadline to open the connection, over every leg

Messages:
  --send <text>            send a text message once open (repeatable, sent in order)
  --send-binary <hex>      send a binary message, e.g. 48656c6c6f (repeatable)
  --count <n>              close normally (1000) after n incoming messages
  --listen                 ignore stdin; stay connected until the server closes or Ctrl-C
  Without --send, --count or --listen, each line typed on stdin is sent as a text message and
  end of input (Ctrl-D) closes the session. With --send alone, replies are awaited (one per
  message, or 2 s of quiet) and then the session is closed normally.

Output:
  --json                   one JSON object per line (types: resolve, state, handshake, frame, error, closed)
  -h, --help               this help

Ctrl-C closes the session with 1000 and exits 0; a second Ctrl-C exits at once.
Exit status: 0 opened and closed normally, 1 the connection failed, 2 usage error.
`;

export const RESOLVE_HELP = `Usage: tunnelscope resolve <ws://… | wss://…> [options]

Prints which proxy a connection to the URL would use, and why.

${PROXY_FLAGS}
  --json                   print one JSON object: {"type":"resolve","source",…,"proxy","reason"}
  -h, --help               this help

Exit status: 0 decided, 1 the decision failed (e.g. a bad PAC file), 2 usage error.
`;
