/**
 * The start of every certificate Tunnelscope makes (the web host's own, the intercept CA and its
 * leaves): a native RSA key, a forge certificate with that key's public half, a positive random
 * serial and a validity that begins a day back. The caller adds names and extensions and signs.
 */
import { generateKeyPair, randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import forge from 'node-forge';

const DAY_MS = 24 * 60 * 60 * 1000;

/** A 2048-bit RSA key as PKCS#8 PEM; Node's generator is native (forge's own takes seconds). */
export async function newRsaKeyPem(): Promise<string> {
  const { privateKey } = await promisify(generateKeyPair)('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  return privateKey;
}

/** A positive 16-byte serial: a repeated serial under one issuer makes browsers refuse the certificate. */
export function positiveSerial(): string {
  const serial = randomBytes(16);
  serial[0] = ((serial[0] ?? 0) & 0x7f) | 0x01;
  return serial.toString('hex');
}

/**
 * A certificate for `keyPem`'s public key, valid from a day before `now` (a client whose clock is a
 * little behind still accepts it) until `notAfter`. Returns the forge key too, for self-signing.
 */
export function certificateDraft(keyPem: string, now: Date, notAfter: Date): { key: forge.pki.rsa.PrivateKey; cert: forge.pki.Certificate } {
  const key = forge.pki.privateKeyFromPem(keyPem);
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.setRsaPublicKey(key.n, key.e);
  cert.serialNumber = positiveSerial();
  cert.validity.notBefore = new Date(now.getTime() - DAY_MS);
  cert.validity.notAfter = notAfter;
  return { key, cert };
}

/** PEM with LF line ends (forge writes CRLF; PEM files and terminals expect LF). */
export function certificatePem(cert: forge.pki.Certificate): string {
  return forge.pki.certificateToPem(cert).replace(/\r\n/g, '\n');
}
