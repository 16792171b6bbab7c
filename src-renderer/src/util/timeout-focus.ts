/**
 * "Take me to that deadline": the error panel asks, the tab's Timeouts row opens its section
 * and focuses the field. One request at a time; `seq` makes a repeated ask a new one.
 */
import { ref } from 'vue';
import type { DeadlineName } from '../../../src-main/shared/timeouts';

export interface TimeoutFocusRequest {
  tabId: string;
  deadline: DeadlineName;
  seq: number;
}

export const timeoutFocusRequest = ref<TimeoutFocusRequest | null>(null);

export function focusTimeoutField(tabId: string, deadline: DeadlineName): void {
  timeoutFocusRequest.value = { tabId, deadline, seq: (timeoutFocusRequest.value?.seq ?? 0) + 1 };
}
