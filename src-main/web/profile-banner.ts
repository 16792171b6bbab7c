/**
 * What the web host says about its profile store at start: where the profiles are kept and how
 * their secrets are protected, with the warning on its own lines when the protection is weak
 * (a key file, or none) and a line for every file set aside or other notice.
 */
import type { ProfileStatus, ProtectionLevel } from '../shared/profiles';

const PROTECTION_WORDS: Readonly<Record<ProtectionLevel, string>> = {
  'os-store': 'the OS keyring',
  'key-file': 'a key file (weaker than an OS keyring)',
  none: 'NOTHING: the OS secret store is missing',
};

export interface BannerLines {
  /** For stdout: where, and how well protected. */
  out: string[];
  /** For stderr: what the user should act on. */
  err: string[];
}

export function profileBanner(status: ProfileStatus): BannerLines {
  const out = [`Profiles are stored in ${status.file}`, `Secrets in them are protected by ${PROTECTION_WORDS[status.protection]}.`];
  const err: string[] = [];
  if (status.warning !== undefined) err.push(`WARNING: ${status.warning}`);
  if (status.readOnly !== undefined) err.push(`WARNING: profiles are read-only: ${status.readOnly}`);
  for (const notice of status.notices) err.push(`Note: ${notice.message}`);
  const mentioned = new Set(status.notices.map((notice) => notice.file).filter((file) => file !== undefined));
  for (const file of status.setAsideFiles) {
    if (!mentioned.has(file)) err.push(`Note: a damaged profiles file was kept aside as ${file}`);
  }
  return { out, err };
}

/** The banner for a store that could not even be read (the host still starts). */
export function profileBannerFailure(dataDir: string, message: string): BannerLines {
  return { out: [], err: [`WARNING: the profiles in ${dataDir} cannot be used: ${message}`] };
}
