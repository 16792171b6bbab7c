/**
 * Pure mapping from what OpenSSL and Node report about a failed TLS handshake (the
 * verification code in `authorizationError`, or the `code` of a handshake error) to our
 * NetError, with a message that names the specifics (the date, the names the certificate is
 * for, the issuer) and a hint. The stage is the caller's: `tls` for the server, `proxy-tls`
 * for an https:// proxy; it is never guessed from the error.
 */
import type { ErrorAction, ErrorCode, NetError, NetErrorDetails } from '../../shared/errors';
import { setting, text, type Hint, type HintPart } from '../../shared/hint-parts';
import { formatHostPort } from '../../shared/host-port';
import type { CertSummary, TrustSetting } from '../../shared/model';
import type { DeadlineName } from '../../shared/timeouts';
import { createNetError } from '../errors/net-failure';

export type TlsStage = 'tls' | 'proxy-tls';

export interface TlsFailureInput {
  stage: TlsStage;
  /** A verification code (`CERT_HAS_EXPIRED`, `ERR_TLS_CERT_ALTNAME_INVALID`) or a handshake error code (`ECONNRESET`, `ERR_SSL_…`). */
  code: string | undefined;
  /** The host and port connected to, as the user named them. */
  host: string;
  port: number;
  /** The proxy the connection went through (display URL, no credentials). */
  viaProxy?: string;
  /** The peer's chain, leaf first (empty when the handshake failed before it arrived). */
  chain: CertSummary[];
  /** Whether a client certificate was configured. */
  clientCertGiven: boolean;
  /** Whether the peer asked for a client certificate (known once its hello arrived). */
  clientCertRequested?: boolean;
  /** Node's message, kept in details for the curious; never used to decide anything. */
  causeMessage?: string;
  /** For "expired N days ago"-style decisions; defaults to now. */
  now?: number;
  /**
   * The certificate is also not for the host (checked even when the chain failed): said as a
   * second sentence, so the user who fixes the trust problem is not surprised by the next one.
   */
  hostnameAlsoWrong?: boolean;
  /** The trust setting in force and whether CA files were given (for the untrusted hint). */
  trust?: { setting: TrustSetting; caFilesGiven: boolean };
  /** The chain's issuer names a TLS-inspection product (core/tls/inspection-products.ts). */
  interceptedBy?: { product: string; issuer: string };
}

type Kind = 'expired' | 'notYetValid' | 'hostname' | 'untrusted' | 'handshake' | 'clientCert';

const CODES: Record<TlsStage, Record<Kind, ErrorCode>> = {
  tls: {
    expired: 'TLS_CERT_EXPIRED',
    notYetValid: 'TLS_CERT_NOT_YET_VALID',
    hostname: 'TLS_HOSTNAME_MISMATCH',
    untrusted: 'TLS_UNTRUSTED_CERT',
    handshake: 'TLS_HANDSHAKE_FAILED',
    clientCert: 'TLS_CLIENT_CERT_INVALID',
  },
  'proxy-tls': {
    expired: 'PROXY_TLS_CERT_EXPIRED',
    notYetValid: 'PROXY_TLS_CERT_NOT_YET_VALID',
    hostname: 'PROXY_TLS_HOSTNAME_MISMATCH',
    untrusted: 'PROXY_TLS_UNTRUSTED_CERT',
    handshake: 'PROXY_TLS_HANDSHAKE_FAILED',
    clientCert: 'TLS_CLIENT_CERT_INVALID',
  },
};

/** OpenSSL verification results (X509_V_ERR_* names as Node reports them) that mean "not trusted". */
const UNTRUSTED_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'CERT_SIGNATURE_FAILURE',
  'UNABLE_TO_DECRYPT_CERT_SIGNATURE',
  'UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY',
  'INVALID_CA',
  'INVALID_PURPOSE',
  'PATH_LENGTH_EXCEEDED',
  'CERT_CHAIN_TOO_LONG',
  'CERT_REVOKED',
]);

const HOSTNAME_CODES = new Set(['ERR_TLS_CERT_ALTNAME_INVALID', 'HOSTNAME_MISMATCH', 'IP_ADDRESS_MISMATCH']);

/** The peer answered with something that is not TLS (plain HTTP, SSH, a proxy's error page). */
const NOT_TLS_CODES = new Set([
  'ERR_SSL_WRONG_VERSION_NUMBER',
  'ERR_SSL_PACKET_LENGTH_TOO_LONG',
  'ERR_SSL_HTTP_REQUEST',
  'ERR_SSL_HTTPS_PROXY_REQUEST',
  'ERR_SSL_RECORD_LAYER_FAILURE',
  'ERR_SSL_UNKNOWN_PROTOCOL',
]);

/** No TLS version in common. */
const VERSION_CODES = new Set([
  'ERR_SSL_UNSUPPORTED_PROTOCOL',
  'ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION',
  'ERR_SSL_NO_PROTOCOLS_AVAILABLE',
  'ERR_SSL_VERSION_TOO_LOW',
]);

/** The peer closed the connection instead of answering. */
const CLOSED_CODES = new Set(['ECONNRESET', 'EPIPE', 'ERR_SOCKET_CLOSED', 'ERR_STREAM_PREMATURE_CLOSE']);

/** Alerts a server sends about the client certificate (or its absence). */
const CLIENT_CERT_ALERTS = new Set([
  'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED',
  'ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE',
  'ERR_SSL_SSLV3_ALERT_CERTIFICATE_UNKNOWN',
  'ERR_SSL_SSLV3_ALERT_UNSUPPORTED_CERTIFICATE',
  'ERR_SSL_SSLV3_ALERT_CERTIFICATE_EXPIRED',
  'ERR_SSL_SSLV3_ALERT_CERTIFICATE_REVOKED',
  'ERR_SSL_TLSV1_ALERT_UNKNOWN_CA',
  'ERR_SSL_TLSV1_ALERT_ACCESS_DENIED',
]);

/** Whether a socket error code comes from the TLS layer (an alert, a bad record …). */
export function isTlsLayerCode(code: string | undefined): boolean {
  return code !== undefined && (code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_'));
}

function peerNoun(stage: TlsStage): string {
  return stage === 'proxy-tls' ? 'the https:// proxy' : 'the server';
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** `2024-01-01T00:00:00.000Z` → `2024-01-01`; anything unparseable as given. */
function day(iso: string): string {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? iso : new Date(ms).toISOString().slice(0, 10);
}

/** "the certificate of the server (CN=x)" or "a certificate in the server's chain (CN=y)". */
function whichCert(chain: CertSummary[], index: number, stage: TlsStage): string {
  const cert = chain[index];
  const label = cert && cert.subject !== '' ? ` (${cert.subject})` : '';
  return index <= 0
    ? `${capitalize(peerNoun(stage))}'s certificate${label}`
    : `A certificate in ${peerNoun(stage)}'s chain${label}`;
}

/** The names a certificate is for: its SANs without the type label, else its CN. */
export function certificateNames(cert: CertSummary | undefined): string[] {
  if (!cert) return [];
  const names = cert.subjectAltNames
    .map((entry) => entry.replace(/^(DNS|IP Address):/, ''))
    .filter((name) => name !== '');
  if (names.length > 0) return names;
  const cn = /(?:^|, )CN=([^,]*)/.exec(cert.subject)?.[1];
  return cn ? [cn] : [];
}

function listNames(names: string[]): string {
  const shown = names.slice(0, 5).join(', ');
  return names.length > 5 ? `${shown} and ${names.length - 5} more` : shown;
}

function expiredMessage(input: TlsFailureInput, now: number): string {
  const index = input.chain.findIndex((cert) => Date.parse(cert.validTo) < now);
  const at = Math.max(index, 0);
  const cert = input.chain[at];
  if (!cert) return `${capitalize(peerNoun(input.stage))}'s certificate has expired.`;
  return `${whichCert(input.chain, at, input.stage)} expired on ${day(cert.validTo)}.`;
}

function notYetValidMessage(input: TlsFailureInput, now: number): string {
  const index = input.chain.findIndex((cert) => Date.parse(cert.validFrom) > now);
  const at = Math.max(index, 0);
  const cert = input.chain[at];
  if (!cert) return `${capitalize(peerNoun(input.stage))}'s certificate is not valid yet.`;
  return `${whichCert(input.chain, at, input.stage)} is not valid until ${day(cert.validFrom)}.`;
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

function hostnameMessage(input: TlsFailureInput): string {
  const names = certificateNames(input.chain[0]);
  const host = input.host.replace(/^\[(.*)\]$/, '$1');
  const forWhat = names.length > 0 ? `is for ${listNames(names)}` : 'names no host at all';
  return `${capitalize(peerNoun(input.stage))}'s certificate ${forWhat}, not ${host}.`;
}

function untrustedMessage(input: TlsFailureInput): string {
  const leaf = input.chain[0];
  const top = input.chain[input.chain.length - 1];
  const peer = capitalize(peerNoun(input.stage));
  switch (input.code) {
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
      return `${peer}'s certificate${leaf ? ` (${leaf.subject})` : ''} is self-signed and not among the trusted certificates.`;
    case 'SELF_SIGNED_CERT_IN_CHAIN':
      return `${peer}'s certificate chain ends in a root that is not trusted${top ? ` (${top.subject})` : ''}.`;
    case 'UNABLE_TO_GET_ISSUER_CERT':
    case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
      return `${peer}'s certificate was issued by ${top ? top.issuer || 'an unnamed issuer' : 'an issuer'} that is not a trusted authority.`;
    default:
      return `${peer}'s certificate could not be verified (${input.code ?? 'unknown reason'}).`;
  }
}

/**
 * A lone self-issued certificate that names the host it was asked for: the server's own
 * self-signed certificate. An inspecting proxy signs its forgeries with its own CA (another
 * issuer), so sending the user to IT for a proxy CA would be the wrong errand.
 */
function serversOwnSelfSigned(input: TlsFailureInput): boolean {
  const leaf = input.chain[0];
  return (
    input.code === 'DEPTH_ZERO_SELF_SIGNED_CERT' &&
    input.chain.length === 1 &&
    leaf !== undefined &&
    leaf.subject !== '' &&
    leaf.subject === leaf.issuer &&
    input.hostnameAlsoWrong !== true
  );
}

/** The issuer at the top of the chain as the client saw it, for the interception hint. */
function topIssuer(chain: CertSummary[]): string {
  const top = chain[chain.length - 1];
  return top && top.issuer !== '' ? top.issuer : 'an unknown issuer';
}

/** Where the client certificate is set: the field in the app, the flags on the command line. */
const CLIENT_CERT_HINT: Hint = [text('Set a client certificate and its key (PEM files) in the TLS settings'), setting('tls.clientCert'), text('.')];

interface Verdict {
  kind: Kind;
  message?: string;
  hint?: Hint;
  actions?: ErrorAction[];
}

function handshakeVerdict(input: TlsFailureInput): Verdict {
  const code = input.code;
  const peer = peerNoun(input.stage);
  const target = formatHostPort(input.host, input.port);
  const Peer = capitalize(peer);

  if (code !== undefined && CLIENT_CERT_ALERTS.has(code)) {
    if (!input.clientCertGiven) {
      return {
        kind: 'handshake',
        message: `${Peer} requires a client certificate and none was given.`,
        hint: CLIENT_CERT_HINT,
      };
    }
    return {
      kind: 'clientCert',
      message: `${Peer} rejected the client certificate (${code}).`,
      hint: `Check that the client certificate is issued by a CA that ${peer} accepts, is still valid, and is meant for client authentication.`,
    };
  }
  if (code !== undefined && CLOSED_CODES.has(code) && input.clientCertRequested) {
    return input.clientCertGiven
      ? {
          kind: 'clientCert',
          message: `${Peer} asked for a client certificate and closed the connection after receiving it.`,
          hint: `${Peer} most likely rejected the client certificate: check that it is issued by a CA that ${peer} accepts and is still valid.`,
        }
      : {
          kind: 'handshake',
          message: `${Peer} asked for a client certificate, none was given, and it closed the connection.`,
          hint: CLIENT_CERT_HINT,
        };
  }
  if (code !== undefined && NOT_TLS_CODES.has(code)) {
    return {
      kind: 'handshake',
      message: `${Peer} at ${target} did not answer with TLS.`,
      hint:
        input.stage === 'proxy-tls'
          ? 'The proxy speaks plain HTTP on this port: write its URL as http:// instead of https://.'
          : input.viaProxy
            ? 'The server speaks something other than TLS on this port (try ws:// instead of wss://), or the proxy answered in its place.'
            : 'The server speaks something other than TLS on this port: try ws:// instead of wss://, or check the port.',
    };
  }
  if (code !== undefined && VERSION_CODES.has(code)) {
    return {
      kind: 'handshake',
      message: `${Peer} and this client have no TLS version in common.`,
      hint: `${Peer} may only offer an old TLS version (1.0/1.1) that is disabled here; ask its owners to enable TLS 1.2 or 1.3.`,
    };
  }
  if (code === 'ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE') {
    if (input.clientCertRequested && !input.clientCertGiven) {
      return {
        kind: 'handshake',
        message: `${Peer} asked for a client certificate, none was given, and it aborted the TLS handshake (handshake_failure alert).`,
        hint: CLIENT_CERT_HINT,
      };
    }
    return {
      kind: 'handshake',
      message: `${Peer} aborted the TLS handshake (handshake_failure alert).`,
      hint: input.clientCertGiven
        ? `${Peer} found no cipher or version in common with this client, or did not accept the client certificate.`
        : `${Peer} found no cipher or version in common with this client, or it requires a client certificate: set one (PEM certificate and key) in the TLS settings.`,
    };
  }
  if (code !== undefined && CLOSED_CODES.has(code)) {
    return {
      kind: 'handshake',
      message: `${Peer} closed the connection during the TLS handshake.`,
      hint:
        input.stage === 'proxy-tls'
          ? 'The proxy may not speak TLS on this port (use http:// for it), or it rejected this client.'
          : input.viaProxy
            ? 'The server (or the proxy in between) dropped the connection: it may not speak TLS on this port, may require a client certificate, or the proxy may block this host.'
            : 'The server may not speak TLS on this port (try ws://), may require a client certificate, or refused this host name (SNI).',
    };
  }
  if (code === 'ERR_SSL_TLSV1_UNRECOGNIZED_NAME' || code === 'ERR_SSL_TLSV1_ALERT_UNRECOGNIZED_NAME') {
    return {
      kind: 'handshake',
      message: `${Peer} does not serve the host name ${input.host} (unrecognized_name alert).`,
      hint: 'Check the host name in the URL; the server only answers for the names it is configured for.',
    };
  }
  return {
    kind: 'handshake',
    message: `The TLS handshake with ${peer} at ${target} failed${code ? ` (${code})` : ''}.`,
  };
}

/** The finding when the issuer names an inspection product: said as a fact, not a "may be". */
function interceptedVerdict(input: TlsFailureInput, by: { product: string; issuer: string }): Verdict {
  const where = input.viaProxy ? ` on the way through the proxy ${input.viaProxy}` : ' on the way';
  const inOs: HintPart[] =
    input.trust?.setting === 'mozilla+os'
      ? [text('Its root CA is not in the OS trust store either: ')]
      : [text('Trust is not set to include the OS store'), setting('tls.trust', 'mozilla+os'), text(', where IT usually installs that root; or ')];
  return {
    kind: 'untrusted',
    message:
      `A TLS-inspecting gateway re-signed this certificate: ${by.product} (${by.issuer}) issued it${where}, ` +
      'and its root is not trusted here.',
    hint: [
      ...inOs,
      text(`get ${by.product}'s root CA certificate (PEM) from your IT department and add it as a CA file`),
      setting('tls.caFiles'),
      text(', or connect without verification only if you accept that the gateway reads this traffic.'),
    ],
    actions: ['trust-ca-file', 'connect-insecure'],
  };
}

/** A hint when the trust setting itself left the root out. */
function trustSettingNote(input: TlsFailureInput): HintPart[] | undefined {
  // An https:// proxy's certificate is checked against the proxy CA files.
  const [files, where] = input.stage === 'proxy-tls' ? (['proxy CA file', setting('proxyCaFiles')] as const) : (['CA file', setting('tls.caFiles')] as const);
  const trustBoth = setting('tls.trust', 'mozilla+os');
  if (input.trust?.setting === 'ca-files' && !input.trust.caFilesGiven) {
    return [text(`Trust is set to "only my CA files" and no ${files} is given: add one`), where, text(' or trust Mozilla and the OS store'), trustBoth, text('.')];
  }
  if (input.trust?.setting === 'ca-files') {
    return [text('Trust is set to "only my CA files": neither Mozilla\'s roots nor the OS store were consulted; trust Mozilla and the OS store to include them'), trustBoth, text('.')];
  }
  if (input.trust?.setting === 'mozilla') {
    return [text('Trust is set to Mozilla\'s roots only: the OS trust store was not consulted; trust Mozilla and the OS store to include it'), trustBoth, text(`, or add the CA as a ${files}`), where, text('.')];
  }
  return undefined;
}

function verdictFor(input: TlsFailureInput, now: number): Verdict {
  const code = input.code;
  if (code === 'CERT_HAS_EXPIRED') return { kind: 'expired', message: expiredMessage(input, now) };
  if (code === 'CERT_NOT_YET_VALID') return { kind: 'notYetValid', message: notYetValidMessage(input, now) };
  if (code !== undefined && HOSTNAME_CODES.has(code)) return { kind: 'hostname', message: hostnameMessage(input) };
  if (code !== undefined && UNTRUSTED_CODES.has(code)) {
    if (input.interceptedBy && input.stage === 'tls') return interceptedVerdict(input, input.interceptedBy);
    const verdict: Verdict = { kind: 'untrusted', message: untrustedMessage(input) };
    const trustNote = trustSettingNote(input);
    const proxyNote: HintPart[] | undefined =
      input.viaProxy && input.stage === 'tls'
        ? serversOwnSelfSigned(input)
          ? [
              text(
                `The certificate is self-signed and names ${input.host} itself, so it is most likely the server's own, ` +
                  `passed through the proxy ${input.viaProxy} unchanged (a TLS-inspecting proxy signs with its own CA, which would show as a different issuer). ` +
                  "If you trust this server, add its certificate (PEM) as an extra CA file",
              ),
              setting('tls.caFiles'),
              text(', or connect without verification only if you accept the risk.'),
            ]
          : [
              text(
                `The connection went through the proxy ${input.viaProxy}, and the certificate was issued by ${topIssuer(input.chain)}. ` +
                  'A TLS-inspecting proxy may be re-signing traffic with its own CA: ' +
                  "get that proxy's CA certificate (PEM) from your IT department and add it as an extra CA file",
              ),
              setting('tls.caFiles'),
              text(', or connect without verification only if you accept the risk.'),
            ]
        : undefined;
    if (trustNote || proxyNote) {
      verdict.hint = [...(trustNote ?? []), ...(trustNote && proxyNote ? [text(' ')] : []), ...(proxyNote ?? [])];
      verdict.actions = ['trust-ca-file', 'connect-insecure'];
    }
    return verdict;
  }
  return handshakeVerdict(input);
}

/** The NetError for a failed TLS handshake or a rejected certificate. */
export function classifyTlsError(input: TlsFailureInput): NetError {
  const verdict = verdictFor(input, input.now ?? Date.now());
  if (input.hostnameAlsoWrong && verdict.kind !== 'hostname' && verdict.kind !== 'handshake' && verdict.kind !== 'clientCert') {
    verdict.message = `${verdict.message} Also, ${lowerFirst(hostnameMessage(input))}`;
  }
  const details: NetErrorDetails = {
    target: formatHostPort(input.host, input.port),
    ...(input.viaProxy ? { proxy: input.viaProxy } : {}),
    ...(input.chain.length > 0 ? { certChain: input.chain } : {}),
    ...(input.code ? { cause: input.code } : {}),
    ...(input.causeMessage ? { causeMessage: input.causeMessage } : {}),
  };
  return createNetError(input.stage, CODES[input.stage][verdict.kind], details, {
    ...(verdict.message ? { message: verdict.message } : {}),
    ...(verdict.hint ? { hint: verdict.hint } : {}),
    ...(verdict.actions ? { actions: verdict.actions } : {}),
  });
}

/** The NetError for a handshake that did not finish before the deadline. */
export function tlsTimeoutError(
  stage: TlsStage,
  host: string,
  port: number,
  timeoutMs: number,
  viaProxy?: string,
  deadline?: DeadlineName,
): NetError {
  const peer = peerNoun(stage);
  return createNetError(
    stage,
    'HANDSHAKE_TIMEOUT',
    { target: formatHostPort(host, port), ...(viaProxy ? { proxy: viaProxy } : {}), timeoutMs, ...(deadline ? { deadline } : {}) },
    {
      message: `The TLS handshake with ${peer} at ${formatHostPort(host, port)} did not finish within ${timeoutMs} ms.`,
      hint:
        stage === 'proxy-tls'
          ? 'The proxy accepted the connection but never completed TLS: it may speak plain HTTP on this port (use http://), or be overloaded.'
          : `${capitalize(peer)} accepted the connection but never completed TLS: it may not speak TLS on this port (try ws://), or something in between is holding the connection.`,
    },
  );
}

/** The NetError for a client certificate or key that cannot be used (before any byte is sent). */
export function clientCertError(stage: TlsStage, host: string, port: number, problem: string, cause?: string): NetError {
  return createNetError(
    stage,
    'TLS_CLIENT_CERT_INVALID',
    { target: formatHostPort(host, port), ...(cause ? { cause } : {}) },
    { message: `The client certificate could not be used: ${problem}.` },
  );
}
