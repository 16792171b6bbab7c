/**
 * The profile editor: every secret field shows only "set" (no input ever holds a stored value,
 * and the page never contains one), Replace / Clear reach the engine as such, problems appear at
 * their field, unsaved changes are marked, and a conflicting save offers reload or overwrite.
 */
import { flushPromises, type VueWrapper } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { useProfileListStore } from '../../../src-renderer/src/stores/profile-list-store';
import { useProfileEditorStore } from '../../../src-renderer/src/stores/profile-editor-store';
import type { ProfileInputDraft } from '../../../src-main/shared/profiles';
import { createFixture, type Fixture } from './store-fixture';
import { button, byLabel, mountProfileEditor } from './profile-editor-fixture';

let fx: Fixture;
let wrapper: VueWrapper | undefined;

const SECRETS = { header: 'Bearer eyJ-header-token', password: 'pr0xy-pa55word', passphrase: 'key-pa55phrase' };

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
      name: 'prod gateway',
      url: 'wss://gw.test/socket',
      headers: [
        { name: 'Authorization', secret: true, value: { value: SECRETS.header } },
        { name: 'X-Client', secret: false, value: 'tunnelscope' },
      ],
      proxy: { mode: 'manual', url: 'http://proxy.test:3128', username: 'alice', password: { value: SECRETS.password } },
      tls: { certFile: '/c.pem', keyFile: '/k.pem', passphrase: { value: SECRETS.passphrase } },
      savedMessages: [{ name: 'subscribe', kind: 'json', body: '{"op":"subscribe"}' }],
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



function inputValues(w: VueWrapper): string[] {
  return [...w.element.querySelectorAll('input, textarea')].map((el) => (el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement ? el.value : ''));
}

function savedInput(): unknown {
  return fx.fake.calls.filter((c) => c.name === 'profiles:save').at(-1)?.arg;
}

describe('ProfileEditor', () => {
  it('shows each saved secret as "set" with Replace and Clear, and never a stored value', async () => {
    const w = await openEditor(seed());
    expect(w.get('[role="dialog"]').attributes('aria-modal')).toBe('true');
    expect(byLabel(w, 'Name').element).toHaveProperty('value', 'prod gateway');
    expect(w.findAll('[aria-label$=": saved, hidden"]').map((e) => e.attributes('aria-label'))).toEqual([
      'Header 1 value: saved, hidden',
      'Proxy password: saved, hidden',
      'Key passphrase: saved, hidden',
    ]);
    for (const what of ['header 1 value', 'proxy password', 'key passphrase']) {
      expect(button(w, `Replace ${what}`).exists()).toBe(true);
      expect(button(w, `Clear ${what}`).exists()).toBe(true);
    }
    const html = w.html();
    for (const secret of Object.values(SECRETS)) {
      expect(html).not.toContain(secret);
      expect(inputValues(w)).not.toContain(secret);
    }
    // The store never had them either.
    expect(JSON.stringify([useProfileEditorStore().$state, useProfileListStore().$state])).not.toContain(SECRETS.password);
  });

  it('offers the sign-in scheme and, for NTLM or Auto, the domain; both are saved and read back', async () => {
    const id = seed();
    const w = await openEditor(id);
    const scheme = byLabel(w, 'Sign-in');
    expect(scheme.findAll('option').map((o) => o.text())).toEqual(['Auto', 'Negotiate (Kerberos)', 'NTLM', 'Digest', 'Basic']);
    expect(byLabel(w, 'Domain').element).toBeInstanceOf(HTMLInputElement);
    await scheme.setValue('digest');
    expect(w.findAll('label').some((l) => l.text().trim() === 'Domain')).toBe(false);
    await scheme.setValue('ntlm');
    await byLabel(w, 'Domain').setValue('CORP');
    expect(w.text()).toContain('Unsaved changes');
    await button(w, 'Save profile').trigger('click');
    await flushPromises();
    expect(savedInput()).toMatchObject({ profile: { proxy: { auth: 'ntlm', domain: 'CORP', password: { set: true } } } });
    expect(fx.fake.profiles.views.get(id)?.proxy).toMatchObject({ auth: 'ntlm', domain: 'CORP' });
    // The secret stayed in the engine; the page never had it.
    expect(w.html()).not.toContain(SECRETS.password);
  });

  it('Replace sends the typed value, Clear clears, the rest is kept', async () => {
    const id = seed();
    const w = await openEditor(id);
    await button(w, 'Replace proxy password').trigger('click');
    const password = w.get('input[type="password"]');
    expect(password.attributes('placeholder')).toBe('new value (empty keeps the saved one)');
    await password.setValue('brand-new-pw');
    await button(w, 'Clear key passphrase').trigger('click');
    expect(w.text()).toContain('cleared when you save');
    expect(w.text()).toContain('Unsaved changes');
    await button(w, 'Save profile').trigger('click');
    await flushPromises();
    expect(savedInput()).toMatchObject({
      profile: {
        id,
        headers: [{ name: 'Authorization', secret: true, value: { set: true } }, { name: 'X-Client' }],
        proxy: { password: { value: 'brand-new-pw' } },
        tls: { passphrase: { set: false } },
      },
      expectedRevision: 1,
    });
    expect(fx.fake.profiles.secrets.get(`${id}/proxy.password`)).toBe('brand-new-pw');
    expect(fx.fake.profiles.secrets.has(`${id}/tls.passphrase`)).toBe(false);
    // Saved: the editor closed.
    expect(w.find('[role="dialog"]').exists()).toBe(false);
  });

  it('creates a profile with every section: headers, proxy, TLS, reconnect and ordered saved messages', async () => {
    const w = await openEditor(null);
    expect(w.text()).toContain('New profile');
    await byLabel(w, 'Name').setValue('local echo');
    await byLabel(w, 'URL').setValue('ws://127.0.0.1:9000/');
    await byLabel(w, 'Subprotocols').setValue('chat, v2');
    await button(w, '+ Add header').trigger('click');
    await w.get('input[aria-label="Header 1 name"]').setValue('X-Token');
    await w.get('input[aria-label="Header 1 value"]').setValue('typed-token');
    await w.get('input[aria-label="Header 1 is secret"]').setValue(true);
    await byLabel(w, 'Mode').setValue('manual');
    await byLabel(w, 'Address').setValue('http://proxy.test:3128');
    await byLabel(w, 'Username').setValue('bob');
    await byLabel(w, 'Password').setValue('bob-pw');
    await w.get('input[role="switch"]').setValue(false);
    expect(w.text()).toContain('Any certificate is accepted');
    await w.findAll('input[type="checkbox"]').find((c) => c.element.parentElement?.textContent?.includes('Reconnect when'))?.setValue(true);
    await byLabel(w, 'Attempts').setValue('5');
    for (const [name, body] of [
      ['ping', 'ping'],
      ['subscribe', '{"op":"subscribe"}'],
    ]) {
      await button(w, '+ Add message').trigger('click');
      const n = w.findAll('input[aria-label$=" name"]').filter((i) => i.attributes('aria-label')?.startsWith('Message')).length;
      await w.get(`input[aria-label="Message ${n} name"]`).setValue(name);
      await w.get(`textarea[aria-label="Message ${n} body"]`).setValue(body);
    }
    await w.get('select[aria-label="Message 2 kind"]').setValue('json');
    await button(w, 'Move message 2 up').trigger('click');
    await button(w, 'Save profile').trigger('click');
    await flushPromises();
    expect(savedInput()).toMatchObject({
      profile: {
        name: 'local echo',
        url: 'ws://127.0.0.1:9000/',
        subprotocols: ['chat', 'v2'],
        headers: [{ name: 'X-Token', secret: true, value: { value: 'typed-token' } }],
        proxy: { mode: 'manual', url: 'http://proxy.test:3128', username: 'bob', password: { value: 'bob-pw' } },
        tls: { insecure: true },
        reconnect: { enabled: true, initialDelayMs: 1000, maxDelayMs: 30000, maxAttempts: 5 },
        savedMessages: [
          { name: 'subscribe', kind: 'json', body: '{"op":"subscribe"}' },
          { name: 'ping', kind: 'text', body: 'ping' },
        ],
      },
    });
    expect(useProfileListStore().profiles.map((p) => p.name)).toEqual(['local echo']);
  });

  it('shows problems at their fields and in the footer, and saves nothing', async () => {
    const w = await openEditor(null);
    await byLabel(w, 'URL').setValue('http://not-a-websocket');
    await button(w, '+ Add message').trigger('click');
    await button(w, 'Save profile').trigger('click');
    await flushPromises();
    expect(byLabel(w, 'Name').attributes('aria-invalid')).toBe('true');
    expect(byLabel(w, 'URL').attributes('aria-invalid')).toBe('true');
    expect(w.text()).toContain('the URL must start with ws:// or wss://');
    expect(w.text()).toContain('a saved message needs a name');
    expect(w.findAll('.problems li').length).toBeGreaterThanOrEqual(3);
    expect(fx.fake.calls.filter((c) => c.name === 'profiles:save')).toHaveLength(0);
  });

  it('after a refused save, rechecks as you edit: a fixed field loses its mark, the history is saved', async () => {
    const id = seed();
    const w = await openEditor(id);
    await byLabel(w, 'History kept').setValue('50');
    await button(w, 'Save profile').trigger('click');
    await flushPromises();
    expect(byLabel(w, 'History kept').attributes('aria-invalid')).toBe('true');
    expect(w.text()).toContain('keep at least 100 frames');
    await byLabel(w, 'History kept').setValue('200000');
    await flushPromises();
    expect(byLabel(w, 'History kept').attributes('aria-invalid')).toBeUndefined();
    expect(w.text()).not.toContain('keep at least 100 frames');
    // A new mistake is marked at once too.
    await byLabel(w, 'URL').setValue('http://nope');
    await flushPromises();
    expect(w.text()).toContain('the URL must start with ws:// or wss://');
    await byLabel(w, 'URL').setValue('wss://gw.test/socket');
    await w.get('input[aria-label="Payload kept, MiB"]').setValue('128');
    await button(w, 'Save profile').trigger('click');
    await flushPromises();
    expect(savedInput()).toMatchObject({ profile: { history: { maxFrames: 200_000, maxBytes: 128 * 1024 * 1024 } } });
  });

  it('a conflicting save offers "Reload theirs" and "Overwrite with mine"', async () => {
    const id = seed();
    const w = await openEditor(id);
    await byLabel(w, 'Origin').setValue('https://mine.test');
    fx.fake.profiles.touch(id, { origin: 'https://theirs.test' });
    await button(w, 'Save profile').trigger('click');
    await flushPromises();
    expect(w.text()).toContain('was changed elsewhere');
    await button(w, 'Overwrite with mine').trigger('click');
    await flushPromises();
    expect(fx.fake.profiles.views.get(id)?.origin).toBe('https://mine.test');
  });

  it('Escape with unsaved changes asks before discarding them', async () => {
    const w = await openEditor(seed());
    await byLabel(w, 'URL').setValue('wss://changed.test/');
    await w.get('[role="dialog"]').trigger('keydown', { key: 'Escape' });
    expect(w.text()).toContain('Discard the unsaved changes?');
    await button(w, 'Keep editing').trigger('click');
    expect(w.find('[role="dialog"]').exists()).toBe(true);
    await w.get('[role="dialog"]').trigger('keydown', { key: 'Escape' });
    await button(w, 'Discard changes').trigger('click');
    expect(w.find('[role="dialog"]').exists()).toBe(false);
  });
});
