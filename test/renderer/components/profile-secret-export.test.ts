/**
 * Export with secrets as the page sees it: in the browser the web host asks for the code it
 * printed in its terminal (a field appears, the typed code is sent, a wrong one is said); in
 * the desktop app the file is saved by the main process and the page only shows where. And a
 * damaged profiles file set aside earlier is named in the banner and the empty list.
 */
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import ProfileDialogs from '../../../src-renderer/src/components/ProfileDialogs.vue';
import ProfileList from '../../../src-renderer/src/components/ProfileList.vue';
import ProfileStorageBanner from '../../../src-renderer/src/components/ProfileStorageBanner.vue';
import { fail, ok } from '../../../src-main/shared/result';
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
});

function seedWithSecret(): void {
  const result = fx.fake.profiles.handlers['profiles:save']?.({
    profile: { name: 'prod', url: 'wss://gw.test/', proxy: { mode: 'manual', url: 'http://p.test:1', username: 'u', password: { value: 'pw' } }, tls: {} },
  });
  if (!result?.ok) throw new Error('seed failed');
}

async function mountAll(): Promise<VueWrapper> {
  wrapper = mount(
    { components: { ProfileStorageBanner, ProfileList, ProfileDialogs }, template: '<div><ProfileStorageBanner /><ProfileList /><ProfileDialogs /></div>' },
    { global: { plugins: [fx.pinia] }, attachTo: document.body },
  );
  await flushPromises();
  return wrapper;
}

function button(w: VueWrapper, name: string) {
  const found = w.findAll('button').find((b) => (b.attributes('aria-label') ?? b.text().trim()) === name);
  if (!found) throw new Error(`no button "${name}"`);
  return found;
}

async function askForSecrets(w: VueWrapper): Promise<void> {
  await button(w, 'Export all profiles').trigger('click');
  await w.get('[role="dialog"] input[type="checkbox"]').setValue(true);
  await button(w, 'Export with secrets in clear text').trigger('click');
  await flushPromises();
}

function exportCalls(): unknown[] {
  return fx.fake.calls.filter((c) => c.name === 'profiles:export').map((c) => c.arg);
}

describe('export with secrets through the web host', () => {
  beforeEach(() => {
    fx.fake.answer('profiles:export', (arg) => {
      const code = (arg as { confirmationCode?: string }).confirmationCode;
      if (code === undefined) return fail('FORBIDDEN', 'an export with secrets needs the one-time code just printed in the terminal', 'confirmationCode');
      if (code !== 'GOOD-CODE') return fail('FORBIDDEN', 'the code is not the one printed in the terminal (4 more tries)', 'confirmationCode');
      return ok({ text: '{"secret":"pw"}', count: 1, containsSecrets: true, warnings: [] });
    });
  });

  it('asks for the terminal code, sends what is typed, and saves only once the host accepts it', async () => {
    seedWithSecret();
    const w = await mountAll();
    await askForSecrets(w);
    const dialog = w.get('[role="dialog"]');
    expect(dialog.text()).toContain('needs the one-time code just printed in the terminal');
    const field = dialog.get('input[autocomplete="one-time-code"]');
    expect(saved.files).toEqual([]);

    await field.setValue('WRONG-ONE');
    await button(w, 'Export with secrets in clear text').trigger('click');
    await flushPromises();
    expect(dialog.text()).toContain('is not the one printed in the terminal');
    expect(saved.files).toEqual([]);

    await field.setValue(' GOOD-CODE ');
    await button(w, 'Export with secrets in clear text').trigger('click');
    await flushPromises();
    expect(exportCalls()).toEqual([{ includeSecrets: true }, { includeSecrets: true, confirmationCode: 'WRONG-ONE' }, { includeSecrets: true, confirmationCode: 'GOOD-CODE' }]);
    expect(saved.files.map((f) => f.name)).toEqual(['tunnelscope-profiles.with-secrets.json']);
    expect(w.find('[role="dialog"]').exists()).toBe(false);
  });
});

describe('export with secrets in the desktop app', () => {
  it('shows where the main process saved the file; the page saves nothing itself', async () => {
    fx.fake.answer('profiles:export', () => ok({ text: '', count: 1, containsSecrets: true, warnings: [], savedTo: '/home/me/Documents/tunnelscope-profiles-with-secrets.json' }));
    seedWithSecret();
    const w = await mountAll();
    await askForSecrets(w);
    expect(saved.files).toEqual([]);
    expect(w.find('[role="dialog"]').exists()).toBe(false);
    expect(w.text()).toContain('Exported 1 profile to /home/me/Documents/tunnelscope-profiles-with-secrets.json — with secrets in clear text');
  });

  it('keeps the dialog open when the save dialog was closed', async () => {
    fx.fake.answer('profiles:export', () => ok({ text: '', count: 0, containsSecrets: false, warnings: [], canceled: true }));
    seedWithSecret();
    const w = await mountAll();
    await askForSecrets(w);
    expect(saved.files).toEqual([]);
    expect(w.find('[role="dialog"]').exists()).toBe(true);
  });
});

describe('a damaged profiles file set aside in an earlier run', () => {
  it('is named in the banner, and the empty list does not say "No profiles yet"', async () => {
    fx.fake.profiles.status = { ...fx.fake.profiles.status, setAsideFiles: ['/data/profiles.json.corrupt-2026-01-01T00-00-00-000Z'] };
    const w = await mountAll();
    expect(w.text()).toContain('A damaged profiles file was set aside');
    expect(w.text()).toContain('/data/profiles.json.corrupt-2026-01-01T00-00-00-000Z');
    expect(w.text()).toContain('No profiles could be loaded: the profiles file was damaged and set aside');
    expect(w.text()).not.toContain('No profiles yet');
  });

  it('is not named twice when this run set it aside (the notice names it)', async () => {
    const file = '/data/profiles.json.corrupt-x';
    fx.fake.profiles.status = {
      ...fx.fake.profiles.status,
      notices: [{ kind: 'set-aside', message: 'profiles.json was empty; it was kept as profiles.json.corrupt-x', file, at: 1 }],
      setAsideFiles: [file],
    };
    const w = await mountAll();
    expect(w.text().split(file).length - 1).toBe(1);
  });
});
