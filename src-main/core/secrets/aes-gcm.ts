/**
 * AES-256-GCM with a 32-byte key: `version(1) | iv(12) | tag(16) | ciphertext`, base64. GCM's
 * tag makes any change to the stored bytes (or a wrong key) fail loudly instead of decrypting
 * to garbage.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { SecretError } from './secret-store';

export const KEY_BYTES = 32;
const FORMAT = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;

export function newKey(): Buffer {
  return randomBytes(KEY_BYTES);
}

export function sealText(key: Buffer, text: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(text, 'utf8'), cipher.final()]);
  return Buffer.concat([Buffer.from([FORMAT]), iv, cipher.getAuthTag(), body]).toString('base64');
}

/** `what` names the key for the error ("the key file", "the OS keyring's key"). */
export function openText(key: Buffer, data: string, what: string): string {
  const bytes = Buffer.from(data, 'base64');
  if (bytes.length < 1 + IV_BYTES + TAG_BYTES || bytes[0] !== FORMAT) {
    throw new SecretError('the encrypted secret is damaged (it is too short or in an unknown format)');
  }
  const iv = bytes.subarray(1, 1 + IV_BYTES);
  const tag = bytes.subarray(1 + IV_BYTES, 1 + IV_BYTES + TAG_BYTES);
  const decipher = createDecipheriv('aes-256-gcm', key, iv);
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(bytes.subarray(1 + IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
  } catch {
    throw new SecretError(`the encrypted secret does not match ${what}: it was changed, or encrypted with another key`);
  }
}
