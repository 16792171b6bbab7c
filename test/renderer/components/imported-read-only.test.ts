// D17: an imported log's tab. Repeat… stayed enabled (and opened a row whose Start was disabled);
// it is disabled with the reason as its tooltip. The header's "Recorded from … — nothing can be
// sent" is one sentence (three flex items left a blank-looking line at 1024 px).
import { mount, type VueWrapper } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import Composer from '../../../src-renderer/src/components/Composer.vue';
import ImportedLogHeader from '../../../src-renderer/src/components/ImportedLogHeader.vue';
import { useRepeatStore } from '../../../src-renderer/src/stores/repeat-store';
import { connectedTab, createFixture, type Fixture, settle } from './store-fixture';

let fx: Fixture;
let wrappers: VueWrapper[] = [];

beforeEach(() => {
  fx = createFixture();
});
afterEach(() => {
  for (const w of wrappers) w.unmount();
  wrappers = [];
});

function importedTab(): string {
  fx.fake.emit({ type: 'session-created', sessionId: 'imp1', url: 'ws://127.0.0.1:15674/ws', at: 1, readOnly: true, name: 'stomp.ndjson' });
  fx.fake.emit({ type: 'state', sessionId: 'imp1', state: 'closed', previous: 'idle', at: 1 });
  return fx.store.openSessionTab('imp1', 'ws://127.0.0.1:15674/ws').id;
}

function repeatButton(w: VueWrapper) {
  return w.get<HTMLButtonElement>('button.repeat-toggle');
}

describe('an imported log’s tab', () => {
  it('disables Repeat… with the reason as its tooltip, and shows no Repeat row even if one was left open', async () => {
    const tabId = importedTab();
    useRepeatStore().settingsOf(tabId).open = true;
    const w = mount(Composer, { props: { tabId }, global: { plugins: [fx.pinia] }, attachTo: document.body });
    wrappers.push(w);
    await settle(3);
    const repeat = repeatButton(w);
    expect(repeat.element.disabled).toBe(true);
    expect(repeat.attributes('title')).toBe('This tab shows an imported log (read-only): nothing can be sent from it.');
    expect(repeat.attributes('aria-expanded')).toBe('false');
    expect(w.find('[aria-label="Repeat"]').exists()).toBe(false);
  });

  it('leaves Repeat… enabled in a live tab', async () => {
    const tab = await connectedTab(fx);
    const w = mount(Composer, { props: { tabId: tab.id }, global: { plugins: [fx.pinia] }, attachTo: document.body });
    wrappers.push(w);
    await settle(3);
    expect(repeatButton(w).element.disabled).toBe(false);
    await repeatButton(w).trigger('click');
    expect(w.find('[aria-label="Repeat"]').exists()).toBe(true);
  });

  it('says where the log was recorded in one sentence, the URL inside it', async () => {
    importedTab();
    const w = mount(ImportedLogHeader, { props: { sessionId: 'imp1' }, global: { plugins: [fx.pinia] }, attachTo: document.body });
    wrappers.push(w);
    await settle(2);
    const from = w.get('[data-testid="imported-from"]');
    expect(from.element.tagName).toBe('P');
    // Text and the URL's code only: no flex items of its own to wrap apart.
    expect(from.findAll('*').map((e) => e.element.tagName)).toEqual(['CODE']);
    expect(from.text().replace(/\s+/g, ' ')).toBe(
      'Recorded from ws://127.0.0.1:15674/ws — nothing can be sent from this tab; search, filter and export work as for a live session.',
    );
  });
});
