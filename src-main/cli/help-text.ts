/** The --help texts, kept apart so the parser reads as logic. */
import { TIMEOUT_DEFAULTS as T } from '../shared/timeouts';

export const MAIN_HELP = `tunnelscope: open WebSocket connections through HTTP proxies and see every leg.

Usage:
  tunnelscope connect <ws://… | wss://…> [options]   open a session, show proxy, CONNECT, TLS, upgrade, frames
  tunnelscope resolve <ws://… | wss://…> [options]   show which proxy would be used, and why
  tunnelscope connect --profile <name> [options]     open a session from a saved profile
  tunnelscope profiles list|show|export|import|status  saved connection profiles
  tunnelscope intercept [options]                    intercepting proxy: capture other apps' WebSockets
  tunnelscope <command> --help                       options of a command

Global option:
  --data-dir <dir>         where profiles are kept (default: TUNNELSCOPE_DATA_DIR, else the
                           OS config folder, e.g. ~/.config/tunnelscope)

Exit status: 0 opened and closed normally (or resolved), 1 the connection failed, 2 usage error.
`;

const PROXY_FLAGS = `Proxy (choose one; default: the proxy variables when one is set, WS_PROXY/WSS_PROXY,
HTTP_PROXY/HTTPS_PROXY, ALL_PROXY, NO_PROXY; else the system settings; else direct):
  --proxy <url>            http://, https:// or socks5:// proxy (user:password@ allowed, but
                           visible in ps: see --proxy-user)
  --no-proxy               connect directly
  --pac <url|file>         decide with a PAC file (http(s):// URL, file: URL or a path)
  --system-proxy           only the system settings (GNOME, KDE, macOS, Windows; WPAD, PAC URL)
  --env-proxy              only the proxy variables
  --proxy-user <user:pass> credentials for the proxy (never printed); for NTLM the user may be
                           DOMAIN\\user or user@domain. Typed here, the password is visible to
                           every user of the computer in the process list (ps; a warning says
                           so); out of sight instead:
  --proxy-user @<file>     the file's one line, user:password (a pipe too: @<(pass show proxy))
  TUNNELSCOPE_PROXY_USER=user:password
                           the proxy credentials when --proxy-user is not given (unused with
                           --no-proxy and --profile); credentials in --proxy's URL or in a proxy
                           variable (HTTPS_PROXY=http://user:password@host:port) win over it.
                           A --proxy URL with a user and no password (http://alice@proxy:3128)
                           takes alice's password from --proxy-user or the variable`;

export const CONNECT_HELP = `Usage: tunnelscope connect <ws://… | wss://…> [options]
       tunnelscope connect --profile <name> [message and output options]

Profile:
  --profile <name>         connect with a saved profile (its URL, proxy, headers, TLS, secrets);
                           only the message and output options below can be added
  --data-dir <dir>         where profiles are kept

Variables (with --profile and without):
  --env <name>             fill the {{name}}s of the URL, headers, subprotocols, origin and
                           --send texts from this saved environment (secret ones stay secret)
  --var name=value         a variable's value (repeatable); wins over the environment's
  --var name=@file         the value from a file, out of the process list (@@ for a value that
                           starts with @); a typed value whose name looks like a credential
                           (token, secret, password, api_key …) is warned about on stderr
  An unknown {{name}} is an error naming it and where it is (exit 2), before anything is sent.

${PROXY_FLAGS}
  --proxy-auth <scheme>    auto (default: nothing until the proxy's 407 names its schemes, then
                           the strongest: Negotiate, NTLM, Digest, Basic), or only one: negotiate,
                           ntlm, digest or basic (basic goes with the first CONNECT)
  --proxy-domain <domain>  the NTLM domain for a plain --proxy-user name
  --proxy-spn <principal>  the proxy's Kerberos service principal for Negotiate (default
                           HTTP@<proxy host>), e.g. HTTP@proxy.corp.example
  --proxy-ca <file>        extra CA (PEM) for an https:// proxy's certificate (repeatable)

Handshake:
  -H, --header 'Name: v'   extra request header (repeatable; Authorization, Cookie, *token* … are redacted;
                           typed here, a secret one is visible in ps and warned about)
  -H @<file>               the file's headers, one 'Name: value' a line (blank lines skipped),
                           out of sight of other users
  --subprotocol <name>     offer a subprotocol (repeatable)
  --origin <origin>        Origin header
  --ca <file>              extra CA (PEM) to trust for the server (repeatable)
  --trust <which>          roots to check certificates against: mozilla+os (default: Mozilla's and
                           the OS trust store), mozilla (Mozilla's only), ca-files (only --ca);
                           --ca files always add. TUNNELSCOPE_OS_CA_BUNDLE=<pem file|dir> replaces
                           the OS store's location
  --insecure               do NOT verify the server's certificate (marked INSECURE in the output)
  --cert <file> --key <file>  client certificate and key (PEM)
  --timeout <ms>           deadline to open the connection, over every leg (default: none)
  --proxy-connect-timeout <ms>  TCP to the proxy (or to the server when direct) and TLS to an
                           https:// proxy, each connection (default ${T.proxyConnectMs})
  --proxy-answer-timeout <ms>   the proxy's answer to CONNECT or to the SOCKS request (default ${T.proxyAnswerMs})
  --tls-timeout <ms>       the TLS handshake with the server (default ${T.tlsMs})
  --upgrade-timeout <ms>   the server's answer to the WebSocket upgrade (default ${T.upgradeMs})
                           (100 to 600,000 ms each; --timeout up to 3,600,000)
  --keepalive [seconds]    ping every 30 s (or the seconds given, 1 to 3600) while open; no pong
                           within 10 s ends the session with transport/PEER_UNRESPONSIVE (default: off)
  --no-engineio-heartbeat  do not answer Engine.IO's pings: by default, when the server's first message
                           is an Engine.IO open packet (Socket.IO), each ping 2 gets a 3 (EIO=4), or
                           a 2 goes out every pingInterval (EIO=3); both are in the log as sent frames
  --no-mqtt-keepalive      send no MQTT PINGREQ: by default, when a --send… message opened MQTT (a
                           CONNECT with a keep-alive the broker accepted), a PINGREQ goes out whenever
                           no MQTT packet was sent for the keep-alive (MQTT 5: the broker's Server
                           Keep Alive); a broker closes after 1.5 × keep-alive of silence

Reconnect (default: off; one session and one log across the attempts, a line per attempt):
  --reconnect              connect again when the connection fails or drops: waits 1 s, 2 s, 4 s …
                           up to 30 s (±20 %), starting afresh after 10 s open; never after you close
                           it, nor after a normal close (1000) by the server, nor after a refusal
                           another attempt cannot change (the proxy's 4xx to CONNECT, its sign-in)
  --reconnect-max <n>      at most n reconnects in a row (0: no limit, the default); implies --reconnect
  --reconnect-delay <ms>   the first wait (100 to 600,000 ms; default 1000); implies --reconnect
  --reconnect-normal-close also reconnect after a normal close (1000) by the server
  The --send… messages are sent again on each attempt that opens (a protocol starts afresh on
  a new connection: STOMP and MQTT need their CONNECT again), and replies are counted from
  there; lines typed on stdin are not sent again.

History (what is kept for --export; the oldest frames go first):
  --keep-frames <n>        keep at most n frames (100 to 10,000,000; default 1,000,000)
  --keep-mb <n>            keep at most n MiB (1,048,576 bytes) of payload (1 to 4096; default 512)

Messages:
  --send <text>            send a text message once open (repeatable, sent in order)
  --send-binary <hex>      send a binary message, e.g. 48656c6c6f (repeatable)
  --send-file <path>       send the file as one text message, exactly as it is (UTF-8; no
                           built-ins): a STOMP frame with its NUL, several lines (repeatable)
  --send-binary-file <path>  send the file's bytes as one binary message (repeatable)
  --repeat <n>             send each --send / --send-binary message n times before the next
                           (1 to 1,000,000); never faster than the server reads
  --interval <ms>          with --repeat: wait ms between sends (0 to 86,400,000; default 0)
  --count <n>              close normally (1000) after n incoming messages
  --listen                 ignore stdin; stay connected until the server closes or Ctrl-C
  Without --send, --count or --listen, each line typed on stdin is sent as a text message and
  end of input (Ctrl-D) closes the session. With --send alone, replies are awaited (one per
  message, or 2 s of quiet) and then the session is closed normally.
  A --send text may use built-ins, replaced at each send: {{$timestamp}} (Unix seconds),
  {{$isoTimestamp}}, {{$uuid}}, {{$randomInt}} (0 to 1000), {{$counter}} (the send's number
  in its repeat, from 1). An unknown {{$name}} is an error; {{name}} without $ is filled in
  from --env / --var when either is given (a secret variable is refused in a message), and
  sent as is otherwise.
  While 16 MiB wait to be written (the server is not reading), "the server is not reading
  (N MiB queued)" is printed on stderr and sending (and reading stdin) waits until it drains.

Output:
  --json                   one JSON object per line (types: resolve, state, handshake, frame, error, closed,
                           send-queue, export; with --reconnect also attempt, attempt-started
                           (and resent, with a profile that sends its opening again);
                           with --repeat also repeat; with a protocol decoded also decode)
  --export <file>          when the session ends, write its log to <file>: .ndjson (one JSON object per
                           frame) or .har (HAR 1.2, opens in Chrome DevTools); secrets are redacted
  --export-decoded         with --export: each frame a decoder reads also gets its decoding ("decoded" in
                           NDJSON, "_decoded" in HAR), as --decode chooses
  --decode <protocol>      auto (default), none, socketio, stomp, mqtt, graphql-ws, signalr, msgpack, cbor,
                           protobuf, compressed (gzip, deflate, brotli) or base64, in any case; another
                           spelling (socket.io, graphql-transport-ws, messagepack) is refused with the
                           name meant, as exports and Copy as command keep one name per decoder.
                           protobuf:<file>#<Type> reads Protocol Buffers with a .proto file or descriptor
                           set; the file and the type are checked before connecting. Each frame is shown
                           by its protocol summary ("SUBSCRIBE /topic/prices id=sub-0"); --json adds
                           "decoded": {protocol, summary, value}. auto guesses from the subprotocol, the URL
                           (/socket.io/?EIO=4) and the first messages, says so once, and decodes nothing
                           when they show no protocol. Each reconnect attempt decodes afresh; a message
                           left mid-packet when an attempt or the session ended is said again after its
                           attempt or Closed line (--json: "unfinished" on the attempt or closed line)
  -h, --help               this help

Ctrl-C closes the session with 1000 and exits 0; a second Ctrl-C exits at once (Ctrl-C while
waiting to reconnect ends the wait and exits 0).
Exit status: 0 opened and closed normally, 1 the connection failed, 2 usage error. With
--reconnect the last attempt decides: 1 when it failed or dropped and no reconnect follows.
`;

export const RESOLVE_HELP = `Usage: tunnelscope resolve <ws://… | wss://…> [options]

Prints which proxy a connection to the URL would use, and why.

${PROXY_FLAGS}
  --json                   print one JSON object: {"type":"resolve","source",…,"proxy","reason"}
  -h, --help               this help

Exit status: 0 decided, 1 the decision failed (e.g. a bad PAC file), 2 usage error.
`;

export const PROFILES_HELP = `Usage: tunnelscope profiles <command> [options]

Saved connection profiles (the same ones the app shows when it uses the same data folder).

  list [--json]                         the profiles: name, URL, proxy, saved messages
  show <name> [--json]                  one profile in full (secrets only as "set" / "not set")
  export [<name>…] [--out <file> [--force]] [--with-secrets]
                                        one, some or all profiles as JSON (stdout, or a new
                                        file readable only by you: an existing file is replaced
                                        only with --force, a link is never written through);
                                        secrets are left out unless --with-secrets is given,
                                        which warns first
  import <file>                         add the profiles of an export file; every problem is
                                        reported with its place, and nothing is imported if
                                        there is one; taken names get " (imported)"
  status [--json]                       the data folder, how secrets are protected, and any
                                        damaged file that was set aside

  --data-dir <dir>                      where profiles are kept (default: TUNNELSCOPE_DATA_DIR,
                                        else the OS config folder)
  TUNNELSCOPE_SECRET_STORE=keyfile      keep the secrets' key in a file instead of the OS keyring

Exit status: 0 done, 1 failed (a bad import file, an unreadable profile store), 2 usage error
(including a profile name that does not exist).
`;
