/**
 * Which host the UI runs in (the desktop app or a browser through the web host), as the
 * engine's `app:info` says, and the shortcut hints that follow from it. Until the answer comes
 * the host is unknown and only the keys that work everywhere are offered.
 */
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { getBridge } from '../bridge/active-bridge';
import { isMacPlatform, shortcutHints, type HostKind } from '../util/shortcuts';

export const useHostStore = defineStore('host', () => {
  const host = ref<HostKind | null>(null);
  let asked: Promise<void> | null = null;

  function load(): Promise<void> {
    asked ??= getBridge()['app:info']({}).then((result) => {
      // Unanswered (the web host's socket lost at start): Electron says so in its user agent.
      host.value = result.ok ? result.value.host : /\bElectron\//.test(navigator.userAgent) ? 'electron' : 'web';
    });
    return asked;
  }

  const mac = isMacPlatform(typeof navigator === 'undefined' ? '' : navigator.platform);
  const hints = computed(() => shortcutHints(host.value, mac));
  const inBrowser = computed(() => host.value === 'web');

  return { host, hints, inBrowser, load };
});
