// The log bar's Field filter: a button that opens a small form (the same dropdown as the Size
// range: Escape or a press outside closes it), and Apply sets the tab's decoded-field filter.
import { mount, type VueWrapper } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { nextTick } from 'vue';
import { setBridge } from '../../../src-renderer/src/bridge/active-bridge';
import DecodedFieldFilter from '../../../src-renderer/src/components/DecodedFieldFilter.vue';
import { useFrameViewStore } from '../../../src-renderer/src/stores/frame-view-store';
import { createFakeBridge } from '../stores/fake-bridge';

let wrapper: VueWrapper | undefined;

beforeEach(() => {
  setActivePinia(createPinia());
  setBridge(createFakeBridge().bridge);
});

afterEach(() => {
  wrapper?.unmount();
  wrapper = undefined;
});

describe('the decoded Field filter', () => {
  it('opens its form, closes it on a press outside or Escape, and Apply sets the filter', async () => {
    wrapper = mount(DecodedFieldFilter, { props: { sessionId: 's1' }, attachTo: document.body });
    const button = wrapper.get('button');
    expect(button.text()).toBe('Field ▾');
    await button.trigger('click');
    expect(wrapper.find('[role="dialog"]').exists()).toBe(true);
    // A press inside the form keeps it open; one outside closes it.
    wrapper.get('input').element.dispatchEvent(new MouseEvent('mousedown', { bubbles: true }));
    await nextTick();
    expect(wrapper.find('[role="dialog"]').exists()).toBe(true);
    document.body.dispatchEvent(new MouseEvent('mousedown', { bubbles: true }));
    await nextTick();
    expect(wrapper.find('[role="dialog"]').exists()).toBe(false);
    await button.trigger('click');
    await wrapper.get('[role="dialog"]').trigger('keydown', { key: 'Escape' });
    expect(wrapper.find('[role="dialog"]').exists()).toBe(false);
    await button.trigger('click');
    await wrapper.get('select').setValue('destination');
    await wrapper.get('input').setValue('/topic/prices');
    await wrapper.get('form').trigger('submit');
    expect(useFrameViewStore().viewOf('s1').state.filter.decodedField).toEqual({ name: 'destination', value: '/topic/prices' });
    expect(wrapper.find('[role="dialog"]').exists()).toBe(false);
    expect(wrapper.get('button').text()).toBe('destination = /topic/prices ▾');
    expect(wrapper.get('button').classes()).toContain('active');
  });

  it('labels both boxes and gives an example of the chosen field as the value box\'s placeholder', async () => {
    wrapper = mount(DecodedFieldFilter, { props: { sessionId: 's1' }, attachTo: document.body });
    await wrapper.get('button').trigger('click');
    const labels = wrapper.findAll('label').map((l) => [l.text(), l.attributes('for')]);
    expect(labels).toEqual([
      ['Field', wrapper.get('select').attributes('id')],
      ['Value', wrapper.get('input').attributes('id')],
    ]);
    // One short example a field, not the three in one box that was cut ("chat, /topic/prices, senso").
    const examples: Record<string, string> = {};
    for (const field of ['event', 'destination', 'topic', 'operation']) {
      await wrapper.get('select').setValue(field);
      examples[field] = wrapper.get('input').attributes('placeholder') ?? '';
    }
    expect(examples).toEqual({ event: 'e.g. chat', destination: 'e.g. /topic/prices', topic: 'e.g. sensors/1', operation: 'e.g. OnPrice' });
  });
});
