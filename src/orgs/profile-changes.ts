/**
 * Word, within this process, that users' profiles (roles, status, name) changed: the
 * protocol hot path's cache of user profiles (wiring.ts userDirectory) forgets them, so
 * the next token issued here carries what was just committed. Other processes' caches
 * still trust what they read for at most DIRECTORY_CACHE_MS.
 */
export interface ProfileChanges {
  /** After the commit that changed them. */
  changed(userIds: Iterable<string>): void;
  onChanged(listener: (userId: string) => void): () => void;
}

export function createProfileChanges(): ProfileChanges {
  const listeners = new Set<(userId: string) => void>();
  return {
    changed(userIds) {
      for (const id of userIds) for (const listener of listeners) listener(id);
    },
    onChanged(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
