// A bounded least-recently-used cache with a time-to-live per entry: a Map for lookups and a
// doubly linked list for recency. A hit relinks its node and leaves the Map alone: deleting and
// re-inserting a key on every hit leaves deleted slots in that key's bucket chain, which V8 walks
// on each lookup until the next rehash, so a hot key's hits would cost more the larger the cache.

interface Node<K, V> {
  key: K;
  value: V;
  expiresAt: number;
  newer: Node<K, V> | null;
  older: Node<K, V> | null;
}

export class LruCache<K, V> {
  readonly #nodes = new Map<K, Node<K, V>>();
  #newest: Node<K, V> | null = null;
  #oldest: Node<K, V> | null = null;

  constructor(readonly maxSize: number, readonly ttlMs: number) {}

  get size(): number { return this.#nodes.size; }

  get(key: K, now: number): V | undefined {
    const node = this.#nodes.get(key);
    if (node === undefined) return undefined;
    if (node.expiresAt <= now) {
      this.#remove(node);
      return undefined;
    }
    this.#makeNewest(node);
    return node.value;
  }

  has(key: K, now: number): boolean {
    return this.get(key, now) !== undefined;
  }

  set(key: K, value: V, now: number): void {
    if (this.maxSize <= 0) return;
    const existing = this.#nodes.get(key);
    if (existing !== undefined) {
      existing.value = value;
      existing.expiresAt = now + this.ttlMs;
      this.#makeNewest(existing);
      return;
    }
    const node: Node<K, V> = { key, value, expiresAt: now + this.ttlMs, newer: null, older: this.#newest };
    if (this.#newest) this.#newest.newer = node;
    else this.#oldest = node;
    this.#newest = node;
    this.#nodes.set(key, node);
    while (this.#nodes.size > this.maxSize) this.#remove(this.#oldest!);
  }

  delete(key: K): void {
    const node = this.#nodes.get(key);
    if (node !== undefined) this.#remove(node);
  }

  /** Drops every entry whose value matches. */
  deleteWhere(match: (value: V) => boolean): void {
    for (const node of this.#nodes.values()) if (match(node.value)) this.#remove(node);
  }

  clear(): void {
    this.#nodes.clear();
    this.#newest = null;
    this.#oldest = null;
  }

  #unlink(node: Node<K, V>): void {
    if (node.newer) node.newer.older = node.older;
    else this.#newest = node.older;
    if (node.older) node.older.newer = node.newer;
    else this.#oldest = node.newer;
    node.newer = null;
    node.older = null;
  }

  #remove(node: Node<K, V>): void {
    this.#unlink(node);
    this.#nodes.delete(node.key);
  }

  #makeNewest(node: Node<K, V>): void {
    if (node === this.#newest) return;
    this.#unlink(node);
    node.older = this.#newest;
    if (this.#newest) this.#newest.newer = node;
    else this.#oldest = node;
    this.#newest = node;
  }
}
