/**
 * Works off items in queues of one key each: items of a key in order, one after the other
 * (a conversation's messages, an assignment's roles), at most `concurrency` keys at a time.
 */
export async function inQueues<T>(
  items: readonly T[],
  keyOf: (item: T) => string,
  concurrency: number,
  work: (queue: T[]) => Promise<void>,
): Promise<void> {
  const byKey = new Map<string, T[]>();
  for (const item of items) {
    const queue = byKey.get(keyOf(item)) ?? [];
    queue.push(item);
    byKey.set(keyOf(item), queue);
  }
  const queues = [...byKey.values()];
  const workers = Array.from({ length: Math.min(concurrency, queues.length) }, async () => {
    for (let queue = queues.shift(); queue; queue = queues.shift()) await work(queue);
  });
  await Promise.all(workers);
}
