/**
 * What `profiles list` must say about the store besides its profiles: a damaged profiles file
 * set aside (named, on every run while the copy is in the data folder, so an empty list is
 * never mistaken for "no profiles"), a store that is read-only, a data folder fixed.
 */
import type { ProfileStatus } from '../shared/profiles';
import type { EngineApi } from './cli-io';

/** Lines for stderr (empty when the store is fine); a status that cannot be read says so. */
export async function storeWarnings(engine: EngineApi): Promise<string[]> {
  const status = await engine.call('profiles:status', {});
  if (!status.ok) return [`the profile store cannot be read: ${status.error.message}`];
  return warningLines(status.value);
}

function warningLines(status: ProfileStatus): string[] {
  const lines: string[] = [];
  if (status.readOnly !== undefined) lines.push(`profiles are read-only: ${status.readOnly}`);
  for (const notice of status.notices) {
    if (notice.kind === 'migrated') continue;
    const setAside = (notice.kind === 'set-aside' || notice.kind === 'salvaged') && notice.file !== undefined;
    lines.push(setAside ? `${notice.message} The copy is ${notice.file}.` : notice.message);
  }
  const mentioned = new Set(status.notices.map((notice) => notice.file));
  for (const file of status.setAsideFiles) {
    if (mentioned.has(file)) continue;
    lines.push(`a damaged profiles file was set aside as ${file}; the profiles in it are not listed. Check it, then import what you need or delete it (this warning stays while it is there).`);
  }
  return lines;
}
