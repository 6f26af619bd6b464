import type { WatchedEvent, Watcher } from '../../types.js';

/**
 * A fresh one-shot watcher and the promise of its first node event. Connection-state events
 * (path null), which every watcher also receives, are ignored: recipes follow the session
 * through the client's 'state' events instead.
 */
export function nextNodeEvent(): { watcher: Watcher; fired: Promise<WatchedEvent> } {
  let watcher!: Watcher;
  const fired = new Promise<WatchedEvent>((resolve) => {
    watcher = (e) => {
      if (e.path !== null) resolve(e);
    };
  });
  return { watcher, fired };
}
