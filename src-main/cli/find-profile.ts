/** Finds the profile a user named on the command line: by exact name, by id, then ignoring case. */
import type { ProfileView } from '../shared/profiles';

export type FoundProfile = { ok: true; profile: ProfileView } | { ok: false; message: string };

export function findProfile(profiles: readonly ProfileView[], wanted: string): FoundProfile {
  const found =
    profiles.find((p) => p.name === wanted) ??
    profiles.find((p) => p.id === wanted) ??
    profiles.find((p) => p.name.toLocaleLowerCase() === wanted.trim().toLocaleLowerCase());
  if (found) return { ok: true, profile: found };
  if (profiles.length === 0) return { ok: false, message: `there is no profile named "${wanted}" (there are no saved profiles yet)` };
  const names = profiles.slice(0, 10).map((p) => `"${p.name}"`);
  const more = profiles.length > 10 ? `, and ${profiles.length - 10} more` : '';
  return { ok: false, message: `there is no profile named "${wanted}" (the profiles are ${names.join(', ')}${more})` };
}
