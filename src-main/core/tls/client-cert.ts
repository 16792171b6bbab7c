/**
 * Checks a client certificate, its key and passphrase before the handshake, so a wrong
 * passphrase or a key that belongs to another certificate is reported as exactly that
 * instead of as an opaque OpenSSL error (or a handshake the server rejects later).
 */
import { X509Certificate, createPrivateKey, type KeyObject } from 'node:crypto';
import { systemErrorCode } from '../errors/net-failure';

export interface ClientCertProblem {
  /** Completes "The client certificate could not be used: …". */
  problem: string;
  cause?: string;
}

/** PKCS#8 `ENCRYPTED PRIVATE KEY`, or a legacy PEM with `Proc-Type: 4,ENCRYPTED`. */
const ENCRYPTED_KEY = /-----BEGIN ENCRYPTED PRIVATE KEY-----|Proc-Type:\s*4,ENCRYPTED/;

function readKey(key: Buffer, passphrase: string | undefined): KeyObject | ClientCertProblem {
  try {
    return createPrivateKey(passphrase === undefined ? { key } : { key, passphrase });
  } catch (error) {
    const cause = systemErrorCode(error);
    const withCause = cause ? { cause } : {};
    if (cause === 'ERR_OSSL_BAD_DECRYPT') {
      return { problem: 'the passphrase does not decrypt the key (wrong passphrase)', ...withCause };
    }
    // A wrong passphrase passes CBC's padding check about once in 256 tries; the garbage it
    // decrypts to then fails to parse instead. With an encrypted key and a passphrase given,
    // that is most likely the passphrase too.
    if (passphrase !== undefined && ENCRYPTED_KEY.test(key.toString('latin1'))) {
      return { problem: 'the passphrase does not decrypt the key (wrong passphrase, or a damaged key file)', ...withCause };
    }
    // OpenSSL asks for a passphrase it was not given and reports the prompt as "cancelled".
    if (passphrase === undefined && (cause === 'ERR_OSSL_CRYPTO_INTERRUPTED_OR_CANCELLED' || cause === 'ERR_MISSING_PASSPHRASE')) {
      return { problem: 'the key is encrypted and no passphrase was given', ...withCause };
    }
    return { problem: 'the key file does not hold a private key this program can read', ...withCause };
  }
}

/** What is wrong with the client certificate setup, or undefined when it is usable (or absent). */
export function findClientCertProblem(
  cert: Buffer | undefined,
  key: Buffer | undefined,
  passphrase: string | undefined,
): ClientCertProblem | undefined {
  if (!cert && !key) return undefined;
  if (!cert) return { problem: 'a key was given without its certificate' };
  if (!key) return { problem: 'a certificate was given without its key' };
  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(cert);
  } catch (error) {
    const cause = systemErrorCode(error);
    return { problem: 'the certificate file does not hold a certificate this program can read', ...(cause ? { cause } : {}) };
  }
  const keyObject = readKey(key, passphrase);
  if ('problem' in keyObject) return keyObject;
  if (!x509.checkPrivateKey(keyObject)) {
    return { problem: `the key does not belong to the certificate (${x509.subject.replace(/\n/g, ', ')})` };
  }
  return undefined;
}
