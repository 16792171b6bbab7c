/**
 * Secrets at rest: every secret field of a profile is stored as an envelope `{ enc, data }`
 * made by a SecretCipher, never as clear text. Which cipher a host uses decides how strong
 * the protection is, and the cipher says so plainly (`protection`, `warning`).
 */
import { z } from 'zod';
import { ENVELOPE_KINDS, type EnvelopeKind, type ProtectionLevel } from '../../shared/profiles';

export const secretEnvelopeSchema = z.object({
  enc: z.enum(ENVELOPE_KINDS),
  /** base64 of the cipher's output. */
  data: z
    .string()
    .min(1)
    .max(256 * 1024)
    .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'an encrypted secret is base64'),
});
export type SecretEnvelope = z.infer<typeof secretEnvelopeSchema>;

export interface SecretCipher {
  readonly kind: EnvelopeKind;
  /** os-store: the OS keeps the key; key-file: a file next to the profiles does; none: a key everyone knows. */
  readonly protection: ProtectionLevel;
  /** What the user should know about this protection (and why a stronger one is not in use). */
  readonly warning?: string;
  encrypt(text: string): SecretEnvelope;
  /** Throws SecretError when the envelope is not this cipher's, or was tampered with. */
  decrypt(envelope: SecretEnvelope): string;
}

/** A secret could not be stored or read back; the message says why in plain words. */
export class SecretError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretError';
  }
}

export const ENVELOPE_KIND_WORDS: Readonly<Record<EnvelopeKind, string>> = {
  safeStorage: "the desktop app's OS secret store (Electron safeStorage)",
  keyring: 'the OS keyring',
  keyfile: 'the key file',
};
