/**
 * The captured sessions' numbers (capture-numbers.ts), one numbering for the page's whole run so
 * the tab strip, its overflow menu and the sessions list read the same "#N" and none comes back.
 */
import { defineStore } from 'pinia';
import { computed } from 'vue';
import { CaptureNumbering } from '../util/capture-numbers';
import { useSessionsStore } from './sessions-store';

export const useCaptureNumbersStore = defineStore('capture-numbers', () => {
  const sessionStore = useSessionsStore();
  const numbering = new CaptureNumbering();
  // The sessions map keeps the order they were created in: the order captured.
  const numbers = computed(() => numbering.numbers(sessionStore.sessions.values()));
  return { numbers };
});
