/**
 * How to trust the intercept CA, per system and client, as the Intercept page lists it. Each
 * command names the downloaded file (`tunnelscope-ca.pem` unless saved elsewhere) and the
 * proxy's address where a client needs it.
 */
export interface TrustSteps {
  id: 'windows' | 'macos' | 'linux' | 'firefox' | 'node';
  title: string;
  /** Prose first, then commands to copy (one per line). */
  text: string;
  commands: string[];
}

/** The steps, the page's own system first (`platform`: app:info's, as Node names it). */
export function caTrustSteps(file: string, proxyUrl: string, platform: string | null): TrustSteps[] {
  const quoted = /\s/.test(file) ? `"${file}"` : file;
  const steps: TrustSteps[] = [
    {
      id: 'windows',
      title: 'Windows (Chrome, Edge, most programs)',
      text: 'Import it into the current user’s Trusted Root Certification Authorities (no administrator rights needed); the browsers pick it up after a restart.',
      commands: [`certutil -user -addstore Root ${quoted}`],
    },
    {
      id: 'macos',
      title: 'macOS (Safari, Chrome, most programs)',
      text: 'Add it to your login keychain as trusted for SSL, then restart the browser.',
      commands: [`security add-trusted-cert -r trustRoot -k ~/Library/Keychains/login.keychain-db ${quoted}`],
    },
    {
      id: 'linux',
      title: 'Linux (Chrome and Chromium: the NSS database; curl, Python: the system bundle)',
      text: 'Chrome and Chromium read your NSS database (certutil from libnss3-tools); programs using the system bundle need it installed system-wide (Debian/Ubuntu shown; Fedora: /etc/pki/ca-trust/source/anchors and update-ca-trust).',
      commands: [
        `certutil -d sql:$HOME/.pki/nssdb -A -t "C,," -n "Tunnelscope intercept CA" -i ${quoted}`,
        `sudo cp ${quoted} /usr/local/share/ca-certificates/tunnelscope-ca.crt && sudo update-ca-certificates`,
      ],
    },
    {
      id: 'firefox',
      title: 'Firefox (its own certificate store, every system)',
      text: 'Settings → Privacy & Security → Certificates → View Certificates… → Authorities → Import…, choose the file and tick “Trust this CA to identify websites”. Then set its proxy (Settings → Network Settings → Manual proxy) to the address below, for HTTPS too. For a server on this machine (localhost, 127.0.0.1) also set network.proxy.allow_hijacking_localhost to true in about:config: otherwise Firefox never sends those through a proxy.',
      commands: [proxyUrl],
    },
    {
      id: 'node',
      title: 'Node.js (ws, undici, fetch)',
      text: 'Node does not read the system store: give it the file with NODE_EXTRA_CA_CERTS, and the proxy with HTTPS_PROXY (the ws package needs an agent that reads it, such as https-proxy-agent).',
      commands: [`NODE_EXTRA_CA_CERTS=${quoted} HTTPS_PROXY=${proxyUrl} HTTP_PROXY=${proxyUrl} node app.js`],
    },
  ];
  const first = platform === 'win32' ? 'windows' : platform === 'darwin' ? 'macos' : platform === 'linux' ? 'linux' : null;
  if (first === null) return steps;
  return [...steps.filter((step) => step.id === first), ...steps.filter((step) => step.id !== first)];
}
