/**
 * Why a client's TLS handshake with our leaf certificate failed, in words. A client that does
 * not trust the intercept CA (or pins its server's certificate) ends the handshake with an
 * alert: `unknown ca` (Node, curl, Java), `bad certificate` or `certificate unknown` (browsers,
 * Python). Some clients just close the connection; that is named as a likely rejection too.
 */
import { errorMessage, systemErrorCode } from '../errors/net-failure';

export interface ClientTlsFailure {
  /** The client refused our certificate (an alert saying so, or a close in the middle of the handshake). */
  rejectedCertificate: boolean;
  reason: string;
  /** What showed it, in a few words: `TLS alert "unknown ca"`, `a close right after the handshake`. */
  evidence: string;
}

const CERTIFICATE_ALERTS: ReadonlyArray<[RegExp, string]> = [
  [/unknown ca/i, 'unknown ca'],
  [/bad certificate/i, 'bad certificate'],
  [/certificate unknown/i, 'certificate unknown'],
  [/unsupported certificate/i, 'unsupported certificate'],
  [/certificate expired/i, 'certificate expired'],
  [/access denied/i, 'access denied'],
];

/** `error` undefined: the client closed; `afterHandshake`: it did so once the handshake was done, before any request. */
export function clientTlsFailure(error: unknown, host: string, afterHandshake = false): ClientTlsFailure {
  const message = error === undefined ? '' : errorMessage(error);
  for (const [pattern, alert] of CERTIFICATE_ALERTS) {
    if (pattern.test(message)) {
      return {
        rejectedCertificate: true,
        reason: `the client refused the certificate made for ${host} (TLS alert "${alert}"): it does not trust the Tunnelscope CA, or it pins its server's certificate`,
        evidence: `TLS alert "${alert}"`,
      };
    }
  }
  if (error === undefined && afterHandshake) {
    return {
      rejectedCertificate: true,
      reason: `the client closed the connection right after the TLS handshake for ${host}, before any request: most often it does not trust the Tunnelscope CA (Node and Java clients check the certificate after the handshake), or it pins its server's certificate`,
      evidence: 'a close right after the handshake, before any request',
    };
  }
  const code = error === undefined ? undefined : systemErrorCode(error);
  if (error === undefined || code === 'ECONNRESET' || code === 'EPIPE') {
    return {
      rejectedCertificate: true,
      reason: `the client closed the connection during the TLS handshake for ${host}: most often it does not trust the Tunnelscope CA, or it pins its server's certificate`,
      evidence: 'a close in the middle of the handshake, after our certificate',
    };
  }
  return { rejectedCertificate: false, reason: `the TLS handshake with the client for ${host} failed: ${message}`, evidence: message };
}

/** `127.0.0.1:51234 (curl, pid 4242)`, or `… (process unknown)` where the OS did not tell. */
export function clientLabel(clientAddress: string, clientProcess: { pid: number; name: string } | undefined): string {
  return `${clientAddress} (${clientProcess ? `${clientProcess.name}, pid ${clientProcess.pid}` : 'process unknown'})`;
}

/**
 * One sentence for a failed client handshake, naming the client and, when it refused the
 * certificate, the way around it: the host on the passthrough list.
 */
export function clientTlsLine(event: { clientAddress: string; clientProcess?: { pid: number; name: string }; host: string; rejectedCertificate: boolean; reason: string; evidence: string }): string {
  const client = `the client at ${clientLabel(event.clientAddress, event.clientProcess)}`;
  if (!event.rejectedCertificate) return `${client}: ${event.reason}`;
  return (
    `${client} rejected Tunnelscope's certificate for ${event.host} (${event.evidence}) — it does not trust the CA or pins its server's certificate; ` +
    `to let it through undecrypted, add the host to the passthrough list: tunnelscope intercept passthrough add ${event.host} (or --passthrough ${event.host} for this run)`
  );
}
