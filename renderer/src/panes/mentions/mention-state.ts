/** The host picked in the Log hosts list: the timeline marks the times of the log lines that mention it. */
import { createStore, useStore } from '../../state/store';

export const mentionStore = createStore<{ host: string | null }>({ host: null });
export const usePickedHost = (): string | null => useStore(mentionStore, (s) => s.host);
