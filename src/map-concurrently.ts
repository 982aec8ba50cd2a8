/**
 * Maps `items` with at most `limit` calls of `map` in flight, keeping their order in the result: reading many files or
 * asking many look-ups side by side without flooding the disk, GitHub or the Platform API's rate budget.
 */
export async function mapConcurrently<T, R>(items: readonly T[], limit: number, map: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length)
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++
      results[index] = await map(items[index], index)
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker))
  return results
}
