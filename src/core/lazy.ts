/**
 * An async function of a module that is loaded on the first call, not when the bundle starts: an
 * action's entry reads and checks its inputs first (and fails there on a bad one) without loading
 * the database drivers, SDKs and hosts only its run uses. In a bundle the module becomes a chunk of
 * its own (`dist/<action>/<id>.index.js`), loaded by the `import()` in `load`.
 */
export function lazy<M extends Record<K, (...args: never[]) => Promise<unknown>>, K extends keyof M>(
  load: () => Promise<M>,
  name: K,
): M[K] {
  const call = async (...args: Parameters<M[K]>) => (await load())[name](...args);
  return call as M[K];
}
