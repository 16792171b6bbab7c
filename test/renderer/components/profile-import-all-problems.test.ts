/**
 * The sidebar's import dialog lists every problem the engine's import check finds in one pass
 * (the real check, parseImportText, behind the fake bridge): QA's b1.json showed 2 of its 3.
 */
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import ProfileDialogs from '../../../src-renderer/src/components/ProfileDialogs.vue';
import ProfileList from '../../../src-renderer/src/components/ProfileList.vue';
import { parseImportText } from '../../../src-main/core/profiles/profile-transfer';
import { createFixture, type Fixture } from './store-fixture';

let fx: Fixture;
let wrapper: VueWrapper | undefined;

beforeEach(() => {
  fx = createFixture();
  // The engine's answer: the problems its import check finds (nothing is stored when there are any).
  fx.fake.answer('profiles:import', (arg) => {
    const text = typeof arg === 'object' && arg !== null && 'text' in arg && typeof arg.text === 'string' ? arg.text : '';
    const parsed = parseImportText(text);
    return { ok: true, value: { imported: [], problems: parsed.ok ? [] : parsed.problems, warnings: [] } };
  });
});
afterEach(() => {
  wrapper?.unmount();
  wrapper = undefined;
});

describe('the import dialog', () => {
  it('lists every problem of every profile, each with its place', async () => {
    wrapper = mount({ components: { ProfileList, ProfileDialogs }, template: '<div><ProfileList /><ProfileDialogs /></div>' }, { global: { plugins: [fx.pinia] }, attachTo: document.body });
    await flushPromises();
    const profiles = [
      { name: 'b1', url: 'ws://127.0.0.1:9/', proxy: { mode: 'manual', url: 'proxy.corp.:3128' }, tls: {}, handshakeTimeoutMs: -1, keepalive: { intervalMs: 'x' } },
      { name: 'evil\u202etxt.exe', url: 'ws://127.0.0.1:9/', proxy: { mode: 'none' }, tls: {} },
    ];
    const file = new File([JSON.stringify({ format: 'tunnelscope-profiles', version: 2, profiles })], 'b1.json', { type: 'application/json' });
    const input = wrapper.get('input[type="file"]');
    Object.defineProperty(input.element, 'files', { value: [file], configurable: true });
    await input.trigger('change');
    await flushPromises();
    const dialog = wrapper.get('[role="dialog"]');
    expect(dialog.text()).toContain('Nothing was imported from b1.json');
    expect(dialog.text()).toContain('4 problems were found');
    expect(dialog.findAll('[aria-label="Import problems"] li').map((li) => li.text())).toEqual([
      'profiles[0].handshakeTimeoutMs: must be a whole number from 1 to 600000 (got -1)',
      'profiles[0].keepalive.intervalMs: must be a number (got a string "x")',
      'profiles[0].proxy.url: this proxy URL is not valid: a host name ending in a dot is not allowed (write "proxy.corp")',
      'profiles[1].name: a name may not hold U+202E RIGHT-TO-LEFT OVERRIDE at position 5: control characters, line breaks and text-direction controls garble it where it is shown',
    ]);
    expect(fx.fake.profiles.views.size).toBe(0);
  });
});
