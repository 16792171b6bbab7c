/**
 * The sidebar's import dialog lists every problem the engine's import check finds in one pass
 * (QA's b1.json showed 2 of its 3): the fake bridge answers with the problems the real check
 * gives for the file (profile-import-all-problems-file.ts; the unit test of the same name holds
 * parseImportText to that list).
 */
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import ProfileDialogs from '../../../src-renderer/src/components/ProfileDialogs.vue';
import ProfileList from '../../../src-renderer/src/components/ProfileList.vue';
import { MANY_PROBLEMS, MANY_PROBLEMS_FILE } from './profile-import-all-problems-file';
import { createFixture, type Fixture } from './store-fixture';

let fx: Fixture;
let wrapper: VueWrapper | undefined;

beforeEach(() => {
  fx = createFixture();
  // The engine's answer for that file (nothing is stored when there are problems).
  fx.fake.answer('profiles:import', (arg) => {
    const same = typeof arg === 'object' && arg !== null && 'text' in arg && arg.text === JSON.stringify(MANY_PROBLEMS_FILE);
    return same ? { ok: true, value: { imported: [], problems: MANY_PROBLEMS, warnings: [] } } : { ok: false, error: { code: 'INVALID_ARGUMENT', message: 'not the test file' } };
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
    const file = new File([JSON.stringify(MANY_PROBLEMS_FILE)], 'b1.json', { type: 'application/json' });
    const input = wrapper.get('input[type="file"]');
    Object.defineProperty(input.element, 'files', { value: [file], configurable: true });
    await input.trigger('change');
    await flushPromises();
    const dialog = wrapper.get('[role="dialog"]');
    expect(dialog.text()).toContain('Nothing was imported from b1.json');
    expect(dialog.text()).toContain('4 problems were found');
    expect(dialog.findAll('[aria-label="Import problems"] li').map((li) => li.text())).toEqual(MANY_PROBLEMS.map((problem) => `${problem.path}: ${problem.message}`));
    expect(fx.fake.profiles.views.size).toBe(0);
  });
});
