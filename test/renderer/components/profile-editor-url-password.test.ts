/**
 * The profile editor's server and PAC URL passwords: shown only as "set" next to a URL that
 * names a user (never the value, which the page never has), with Replace and Clear reaching
 * the engine as such; a new profile can type one for the URL's user name.
 */
import { flushPromises, type VueWrapper } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ProfileInputDraft } from '../../../src-main/shared/profiles';
import { createFixture, type Fixture } from './store-fixture';
import { button, byLabel, mountProfileEditor } from './profile-editor-fixture';

const URL_PASSWORD = 'url-pa55word';
const PAC_PASSWORD = 'pac-pa55word';

let fx: Fixture;
let wrapper: VueWrapper | undefined;

beforeEach(() => {
  fx = createFixture();
});
afterEach(() => {
  wrapper?.unmount();
  wrapper = undefined;
});

function seed(extra: Partial<ProfileInputDraft> = {}): string {
  const result = fx.fake.profiles.handlers['profiles:save']?.({
    profile: {
      name: 'with url passwords',
      url: 'wss://bob@gw.test/socket',
      urlPassword: { value: URL_PASSWORD },
      proxy: { mode: 'pac', pac: { kind: 'url', url: 'http://bob@wpad.test/proxy.pac' }, pacPassword: { value: PAC_PASSWORD } },
      tls: {},
      ...extra,
    },
  });
  if (!result?.ok) throw new Error('seed failed');
  return [...fx.fake.profiles.views.keys()].at(-1) ?? '';
}

async function openEditor(id: string | null): Promise<VueWrapper> {
  wrapper = await mountProfileEditor(fx, id);
  return wrapper;
}



function savedInput(): unknown {
  return fx.fake.calls.filter((c) => c.name === 'profiles:save').at(-1)?.arg;
}

describe('ProfileEditor: server and PAC URL passwords', () => {
  it('shows them as "set" with Replace and Clear, never their value', async () => {
    const w = await openEditor(seed());
    const hidden = w.findAll('[aria-label$=": saved, hidden"]').map((e) => e.attributes('aria-label'));
    expect(hidden).toEqual(expect.arrayContaining(['URL password: saved, hidden', 'PAC URL password: saved, hidden']));
    expect(button(w, 'Clear url password').exists()).toBe(true);
    expect(button(w, 'Replace pac url password').exists()).toBe(true);
    expect(w.html()).not.toContain(URL_PASSWORD);
    expect(w.html()).not.toContain(PAC_PASSWORD);
  });

  it('Clear and Replace reach the engine as such; an untouched one is kept', async () => {
    const id = seed();
    const w = await openEditor(id);
    await button(w, 'Clear url password').trigger('click');
    await button(w, 'Save profile').trigger('click');
    await flushPromises();
    expect(savedInput()).toMatchObject({ profile: { id, urlPassword: { set: false } } });
    // Untouched: left to the engine, which keeps it.
    expect(savedInput()).not.toHaveProperty('profile.proxy.pacPassword');
    expect(fx.fake.profiles.secrets.has(`${id}/urlPassword`)).toBe(false);

    w.unmount();
    const again = await openEditor(id);
    await button(again, 'Replace pac url password').trigger('click');
    await byLabel(again, 'PAC URL password').setValue('new-pac-pw');
    await button(again, 'Save profile').trigger('click');
    await flushPromises();
    expect(savedInput()).toMatchObject({ profile: { proxy: { pacPassword: { value: 'new-pac-pw' } } } });
  });

  it('offers the field once a new URL names a user, and not before', async () => {
    const w = await openEditor(null);
    await byLabel(w, 'Name').setValue('new');
    await byLabel(w, 'URL').setValue('ws://127.0.0.1:9000/');
    expect(w.findAll('label').some((l) => l.text().trim() === 'URL password')).toBe(false);
    await byLabel(w, 'URL').setValue('ws://carol@127.0.0.1:9000/');
    await byLabel(w, 'URL password').setValue('typed-url-pw');
    await button(w, 'Save profile').trigger('click');
    await flushPromises();
    expect(savedInput()).toMatchObject({ profile: { url: 'ws://carol@127.0.0.1:9000/', urlPassword: { value: 'typed-url-pw' } } });
  });
});
