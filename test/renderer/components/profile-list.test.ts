/**
 * The sidebar's profiles: search, open into a new tab (click and Enter), the actions menu,
 * rename in place, delete with the Undo toast, import (every problem listed with its place,
 * nothing imported) and export's secrets warning, and the protection line.
 */
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import ProfileDialogs from '../../../src-renderer/src/components/ProfileDialogs.vue';
import ProfileList from '../../../src-renderer/src/components/ProfileList.vue';
import { useProfileTransferStore } from '../../../src-renderer/src/stores/profile-transfer-store';
import { createFixture, type Fixture } from './store-fixture';

const saved = vi.hoisted(() => ({ files: [] as { name: string; text: string }[] }));
vi.mock('../../../src-renderer/src/util/save-text-file', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../../src-renderer/src/util/save-text-file')>();
  return { ...original, saveTextFile: (name: string, text: string) => saved.files.push({ name, text }) };
});

let fx: Fixture;
let wrapper: VueWrapper | undefined;

beforeEach(() => {
  fx = createFixture();
  saved.files = [];
});
afterEach(() => {
  wrapper?.unmount();
  wrapper = undefined;
  vi.useRealTimers();
});

function seed(name: string, url = 'wss://echo.test/', extra: Record<string, unknown> = {}): string {
  const result = fx.fake.profiles.handlers['profiles:save']?.({ profile: { name, url, proxy: { mode: 'none' }, tls: {}, ...extra } });
  if (!result?.ok) throw new Error('seed failed');
  return [...fx.fake.profiles.views.keys()].at(-1) ?? '';
}

/** The list and the overlays, as the app has them. */
async function mountList(): Promise<VueWrapper> {
  wrapper = mount({ components: { ProfileList, ProfileDialogs }, template: '<div><ProfileList /><ProfileDialogs /></div>' }, { global: { plugins: [fx.pinia] }, attachTo: document.body });
  await flushPromises();
  return wrapper;
}

function names(w: VueWrapper): string[] {
  return w.findAll('.list .name').map((n) => n.text());
}

function button(w: VueWrapper, name: string) {
  const found = w.findAll('button').find((b) => (b.attributes('aria-label') ?? b.text().trim()) === name);
  if (!found) throw new Error(`no button "${name}"`);
  return found;
}

describe('ProfileList', () => {
  it('lists the profiles by name and searches name and URL', async () => {
    seed('staging', 'wss://staging.corp/ws');
    seed('prod gateway', 'wss://gw.corp/socket');
    seed('local echo', 'ws://127.0.0.1:9000/');
    const w = await mountList();
    expect(names(w)).toEqual(['local echo', 'prod gateway', 'staging']);
    expect(w.find('[data-profile-id] .where').text()).toBe('127.0.0.1:9000');
    await w.get('input[type="search"]').setValue('corp');
    expect(names(w)).toEqual(['prod gateway', 'staging']);
    await w.get('input[type="search"]').setValue('nope');
    expect(w.text()).toContain('No profile matches “nope”.');
  });

  it('opens a profile into a new tab by click and by Enter, named after it', async () => {
    const id = seed('prod gateway', 'wss://gw.test/');
    const w = await mountList();
    await w.get('.open').trigger('click');
    await flushPromises();
    expect(fx.store.tabs).toHaveLength(1);
    expect(fx.store.activeTab?.profile).toMatchObject({ id, name: 'prod gateway' });
    expect(fx.store.activeTab?.draft.url).toBe('wss://gw.test/');
    // Enter in the search field opens the first match.
    await w.get('input[type="search"]').setValue('prod');
    await w.get('input[type="search"]').trigger('keydown', { key: 'Enter' });
    await flushPromises();
    expect(fx.store.tabs).toHaveLength(2);
  });

  it('a double click opens one tab, not two (its second click is not another open)', async () => {
    seed('prod gateway', 'wss://gw.test/');
    const w = await mountList();
    const button = w.get('.open').element;
    // What a browser dispatches for a double click: click (detail 1), click (detail 2), dblclick.
    button.dispatchEvent(new MouseEvent('click', { bubbles: true, detail: 1 }));
    button.dispatchEvent(new MouseEvent('click', { bubbles: true, detail: 2 }));
    button.dispatchEvent(new MouseEvent('dblclick', { bubbles: true, detail: 2 }));
    await flushPromises();
    expect(fx.store.tabs).toHaveLength(1);
  });

  it('deletes from the menu with an Undo toast; Undo brings the profile back', async () => {
    seed('alpha');
    seed('beta');
    const w = await mountList();
    await button(w, 'Actions for alpha').trigger('click');
    expect(w.get('[role="menu"]').attributes('aria-label')).toBe('Actions for alpha');
    await w.findAll('[role="menuitem"]').find((b) => b.text() === 'Delete')?.trigger('click');
    await flushPromises();
    expect(names(w)).toEqual(['beta']);
    const toast = w.get('.toast');
    expect(toast.text()).toContain('Deleted “alpha”.');
    expect(w.get('.toast-region').attributes('aria-live')).toBe('polite');
    await button(w, 'Undo').trigger('click');
    await flushPromises();
    expect(names(w)).toEqual(['alpha', 'beta']);
    expect(w.text()).toContain('Restored “alpha”.');
  });

  it('the Delete key deletes the focused profile; the Undo toast leaves after 10 s', async () => {
    vi.useFakeTimers();
    seed('alpha');
    const w = await mountList();
    await w.get('.open').trigger('keydown', { key: 'Delete' });
    await flushPromises();
    expect(names(w)).toEqual([]);
    expect(w.find('.toast').text()).toContain('Undo');
    await vi.advanceTimersByTimeAsync(10_001);
    expect(w.find('.toast').exists()).toBe(false);
  });

  it('renames in place with F2; a taken name is refused with the reason', async () => {
    seed('alpha');
    seed('beta');
    const w = await mountList();
    await w.get('.open').trigger('keydown', { key: 'F2' });
    const input = w.get('input[aria-label="New name for alpha"]');
    await input.setValue('beta');
    await input.trigger('keydown', { key: 'Enter' });
    await flushPromises();
    expect(w.text()).toContain('a profile named "beta" already exists');
    await input.setValue('gamma');
    await input.trigger('keydown', { key: 'Enter' });
    await flushPromises();
    expect(names(w)).toEqual(['beta', 'gamma']);
  });

  it('an import with problems lists each with its place and imports nothing', async () => {
    const w = await mountList();
    const file = new File([JSON.stringify({ profiles: [{ name: 'x', url: 'wss://ok.test/' }, { name: '', url: 'ftp://nope' }] })], 'team.json', { type: 'application/json' });
    const input = w.get('input[type="file"]');
    Object.defineProperty(input.element, 'files', { value: [file], configurable: true });
    await input.trigger('change');
    await flushPromises();
    const dialog = w.get('[role="dialog"]');
    expect(dialog.text()).toContain('Nothing was imported from team.json');
    expect(dialog.text()).toContain('2 problems were found');
    const problems = dialog.findAll('[aria-label="Import problems"] li').map((li) => li.text());
    expect(problems).toEqual(['profiles[1].name: a profile needs a name', 'profiles[1].url: the URL must start with ws:// or wss://']);
    expect(fx.fake.profiles.views.size).toBe(0);
    await button(w, 'Close').trigger('click');
    expect(w.find('[role="dialog"]').exists()).toBe(false);
  });

  it('a JSON error is placed by line and column', async () => {
    const w = await mountList();
    await useProfileTransferStore().importText('{ not json', 'broken.json');
    await flushPromises();
    expect(w.get('[aria-label="Import problems"] li').text()).toMatch(/^the file, line 1, column 1: not valid JSON/);
  });

  it('export with secrets warns first and says so on the button', async () => {
    seed('prod', 'wss://gw.test/', { proxy: { mode: 'manual', url: 'http://p.test:1', username: 'u', password: { value: 'pw' } } });
    const w = await mountList();
    await button(w, 'Export all profiles').trigger('click');
    const dialog = w.get('[role="dialog"]');
    expect(dialog.text()).toContain('Export all 1 profile');
    expect(dialog.text()).not.toContain('clear text.');
    await dialog.get('input[type="checkbox"]').setValue(true);
    expect(dialog.text()).toContain('The file will hold the secrets in clear text.');
    await button(w, 'Export with secrets in clear text').trigger('click');
    await flushPromises();
    expect(fx.fake.calls.filter((c) => c.name === 'profiles:export').at(-1)?.arg).toEqual({ includeSecrets: true });
    expect(saved.files.map((f) => f.name)).toEqual(['tunnelscope-profiles.with-secrets.json']);
  });

  it('says plainly when secrets are protected only by a key file, or not at all', async () => {
    fx.fake.profiles.status = { ...fx.fake.profiles.status, protection: 'none', cipher: 'safeStorage', warning: 'No OS secret store was found (Electron reports the "basic_text" backend) …' };
    const w = await mountList();
    expect(w.text()).toContain('Secrets: not protected');
    expect(w.text()).toContain('basic_text');
  });

  it('a host without profiles says so instead of a list', async () => {
    fx.fake.answer('profiles:list', () => ({ ok: false, error: { code: 'FORBIDDEN', message: 'no data folder' } }));
    fx.fake.answer('profiles:status', () => ({ ok: false, error: { code: 'FORBIDDEN', message: 'no data folder' } }));
    const w = await mountList();
    expect(w.text()).toContain('This host keeps no profiles.');
    expect(button(w, 'New profile').attributes('disabled')).toBeDefined();
  });
});
