/**
 * Values that the steps still to run will ask for again, dropped after the last of them: a study
 * encodes each setting's corpus once per model (a dense ranker: corpus × dim floats) and searches
 * it in several steps; kept for the whole study, every model's rankers stayed in memory at once.
 *
 * `expect(key)` once per future use (before the steps run), `done(key)` as each of those steps
 * finishes, made or read from the cache; the value goes with the last `done`. A key never expected
 * is kept for the cache's life, as before use counting (callers that run steps without announcing
 * them lose nothing but memory).
 */
export class UseCountedCache<V> {
  private readonly values = new Map<string, V>();
  private readonly uses = new Map<string, number>();

  get(key: string): V | undefined {
    return this.values.get(key);
  }

  set(key: string, value: V): void {
    this.values.set(key, value);
  }

  /** How many values are held. */
  get size(): number {
    return this.values.size;
  }

  /** One more step will use `key`. */
  expect(key: string): void {
    this.uses.set(key, (this.uses.get(key) ?? 0) + 1);
  }

  /** A step that used (or would have used) `key` finished; after the last expected one the value is dropped. */
  done(key: string): void {
    const left = this.uses.get(key);
    if (left === undefined) return;
    if (left > 1) {
      this.uses.set(key, left - 1);
      return;
    }
    this.uses.delete(key);
    this.values.delete(key);
  }
}
