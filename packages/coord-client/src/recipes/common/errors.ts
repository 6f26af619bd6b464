/**
 * Why a recipe gave up or lost what it held. ZooKeeper's own failures stay KeeperErrors (with
 * their code); these codes name what a recipe concludes from them, one table with the text.
 */
export const RECIPE_ERRORS = {
  SessionLost: 'the session ended (expired or closed): its ephemeral nodes, and any lock or leadership held through them, are gone',
  Disconnected: 'no connection to the ensemble within the reconnect bound',
  Suspended: 'the connection dropped: what the session holds may be gone, so leadership is given up until the session is confirmed',
  RetriesExhausted: 'gave up after the retry bound',
  NodeLost: "the recipe's own node was deleted by someone else",
  NotHeld: 'release() by a holder that does not hold the lock',
  Resigned: 'leadership given up by resign()',
  Closed: 'the recipe was closed',
  BadData: "a node's data is not what the recipe stores there",
  QueueFull: 'the queue holds its maximum number of items',
  TooManyNodes: 'the cache would hold more nodes than its bound',
} as const;

export type RecipeErrorCode = keyof typeof RECIPE_ERRORS;

export class RecipeError extends Error {
  override readonly name = 'RecipeError';

  constructor(
    readonly code: RecipeErrorCode,
    readonly path?: string,
    detail?: string,
    options?: { cause?: unknown },
  ) {
    super(`${code}: ${detail ?? RECIPE_ERRORS[code]}${path === undefined ? '' : ` (${path})`}`, options);
  }
}

export function isRecipeError(err: unknown, code?: RecipeErrorCode): err is RecipeError {
  return err instanceof RecipeError && (code === undefined || err.code === code);
}
