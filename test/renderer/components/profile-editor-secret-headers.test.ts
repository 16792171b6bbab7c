/**
 * The profile editor ticks "secret" as a credential-like header name is typed (X-Api-Token),
 * and says so beside the box; the user may untick it, and that choice is saved
 * (plainByChoice), shown again on reopening, and not undone by typing more of the name.
 */
import { flushPromises, type VueWrapper } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFixture, type Fixture } from './store-fixture';
import { button, byLabel, mountProfileEditor } from './profile-editor-fixture';

let fx: Fixture;
let wrapper: VueWrapper | undefined;

beforeEach(() => {
  fx = createFixture();
});
afterEach(() => {
  wrapper?.unmount();
  wrapper = undefined;
});

async function openEditor(id: string | null): Promise<VueWrapper> {
  wrapper = await mountProfileEditor(fx, id);
  return wrapper;
}



const box = (w: VueWrapper, row: number) => w.get(`input[aria-label="Header ${row} is secret"]`);
const checked = (w: VueWrapper, row: number): boolean => (box(w, row).element as HTMLInputElement).checked;
function note(w: VueWrapper, row: number): string | undefined {
  const found = w.find(`[data-testid="header-${row}-secret-note"]`);
  return found.exists() ? found.text() : undefined;
}

function savedProfile(): unknown {
  return fx.fake.calls.filter((c) => c.name === 'profiles:save').at(-1)?.arg;
}

/** Types a header name letter by letter, as the user does. */
async function typeName(w: VueWrapper, row: number, text: string): Promise<void> {
  const input = w.get(`input[aria-label="Header ${row} name"]`);
  for (let end = 1; end <= text.length; end += 1) await input.setValue(text.slice(0, end));
}

async function newProfile(): Promise<VueWrapper> {
  const w = await openEditor(null);
  await byLabel(w, 'Name').setValue('Flood local');
  await byLabel(w, 'URL').setValue('ws://127.0.0.1:9000/');
  return w;
}

describe('ProfileEditorHeaders: credential-like names', () => {
  it('ticks secret as X-Api-Token is typed, says why, and saves the value as a secret', async () => {
    const w = await newProfile();
    await button(w, '+ Add header').trigger('click');
    await typeName(w, 1, 'X-Api-To');
    expect(checked(w, 1)).toBe(false);
    expect(note(w, 1)).toBeUndefined();
    await typeName(w, 1, 'X-Api-Token');
    expect(checked(w, 1)).toBe(true);
    expect(note(w, 1)).toBe('(credential name)');
    await w.get('input[aria-label="Header 1 value"]').setValue('tok-SECRET-123');
    await button(w, 'Save profile').trigger('click');
    await flushPromises();
    expect(savedProfile()).toMatchObject({ profile: { headers: [{ name: 'X-Api-Token', secret: true, value: { value: 'tok-SECRET-123' } }] } });
  });

  it('leaves X-Trace alone', async () => {
    const w = await newProfile();
    await button(w, '+ Add header').trigger('click');
    await typeName(w, 1, 'X-Trace');
    expect(checked(w, 1)).toBe(false);
    expect(note(w, 1)).toBeUndefined();
  });

  it('unticked on purpose: kept plain while the name is typed on, saved as plainByChoice, and shown so again', async () => {
    const w = await newProfile();
    await button(w, '+ Add header').trigger('click');
    await typeName(w, 1, 'X-Api-Token');
    await box(w, 1).setValue(false);
    expect(note(w, 1)).toBe('(plain, your choice)');
    await typeName(w, 1, 'X-Api-Token-2');
    expect(checked(w, 1)).toBe(false);
    await w.get('input[aria-label="Header 1 value"]').setValue('not-a-secret');
    await button(w, 'Save profile').trigger('click');
    await flushPromises();
    expect(savedProfile()).toMatchObject({ profile: { headers: [{ name: 'X-Api-Token-2', secret: false, value: 'not-a-secret', plainByChoice: true }] } });

    const id = [...fx.fake.profiles.views.keys()].at(-1) ?? '';
    wrapper?.unmount();
    const again = await openEditor(id);
    expect(checked(again, 1)).toBe(false);
    expect(note(again, 1)).toBe('(plain, your choice)');
    await again.get('input[aria-label="Header 1 name"]').setValue('X-Api-Token-3');
    expect(checked(again, 1)).toBe(false);
    // Ticked again, the choice is gone: saved as a secret.
    await box(again, 1).setValue(true);
    await again.get('input[aria-label="Header 1 value"]').setValue('now-secret');
    await button(again, 'Save profile').trigger('click');
    await flushPromises();
    expect(savedProfile()).toMatchObject({ profile: { headers: [{ name: 'X-Api-Token-3', secret: true, value: { value: 'now-secret' } }] } });
  });
});
