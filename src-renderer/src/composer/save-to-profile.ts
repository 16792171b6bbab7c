/**
 * "Save to profile" for a message built in the composer's Protocol format (issue 14 QA, L2):
 * it joins the tab's profile's saved messages as kind `protocol` (the message as JSON, which the
 * profile schema checks as the composer does), so it keeps its kind. Saved on the profile as it
 * is stored now (fetched first, its revision named), not on the tab's form: only the saved
 * messages change. Tabs of the profile follow as after any save elsewhere.
 */
import type { ProtocolMessage } from '../../../src-main/shared/protocol-message';
import { profileInputFromView } from '../../../src-main/shared/profiles';
import { errorText } from '../profiles/profile-command-errors';
import { useProfileListStore } from '../stores/profile-list-store';
import { useProfileTabsStore } from '../stores/profile-tabs-store';
import { useTabsStore } from '../stores/tabs-store';

/** null when saved; else why not, in words. */
export async function saveProtocolMessageToProfile(tabId: string, name: string, message: ProtocolMessage): Promise<string | null> {
  const link = useTabsStore().tabs.find((t) => t.id === tabId)?.profile;
  if (!link) return 'the tab has no profile: save the tab as a profile first';
  if (name.trim() === '') return 'a saved message needs a name';
  const list = useProfileListStore();
  const latest = await list.fetchProfile(link.id);
  if (!latest.ok) return errorText(latest.error);
  const view = latest.value;
  const input = profileInputFromView(view);
  const saved = await list.saveInput({ ...input, savedMessages: [...view.savedMessages, { name: name.trim(), kind: 'protocol', body: JSON.stringify(message) }] }, view.revision);
  if (!saved.ok) return errorText(saved.error);
  useProfileTabsStore().syncTabs(saved.value);
  return null;
}
