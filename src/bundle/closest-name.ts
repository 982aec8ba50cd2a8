/** "Did you mean …": the known name closest to a misspelt one. */

/** Longest name compared: the distance costs the product of the lengths, and a longer name is no typo. */
const MAX_COMPARED_LENGTH = 64

/**
 * The candidate closest to `name` (case-insensitive edit distance, transpositions count once), or undefined
 * when none is close enough to be a plausible typo, or `name` is too long to be one.
 */
export function closestName(name: string, candidates: readonly string[]): string | undefined {
  if (name.length > MAX_COMPARED_LENGTH) return undefined
  const limit = Math.max(1, Math.floor(name.length / 3))
  const lower = name.toLowerCase()
  let best: { candidate: string; distance: number } | undefined
  for (const candidate of candidates) {
    // The distance is at least the difference in length: such a candidate cannot be close enough.
    if (candidate.length > MAX_COMPARED_LENGTH || Math.abs(candidate.length - name.length) > limit) continue
    const distance = editDistance(lower, candidate.toLowerCase())
    if (distance <= limit && (best === undefined || distance < best.distance)) best = { candidate, distance }
  }
  return best?.candidate
}

/**
 * Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps. Three rows of the
 * table are kept (the swap looks two rows back), in one typed array: a manifest with many unknown keys asks often.
 */
function editDistance(a: string, b: string): number {
  const width = b.length + 1
  const rows = new Uint16Array(width * 3)
  for (let j = 0; j < width; j++) rows[j] = j
  for (let i = 1; i <= a.length; i++) {
    const row = (i % 3) * width
    const above = ((i - 1) % 3) * width
    const twoAbove = ((i + 1) % 3) * width
    rows[row] = i
    for (let j = 1; j <= b.length; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1
      let distance = Math.min(rows[above + j] + 1, rows[row + j - 1] + 1, rows[above + j - 1] + cost)
      if (i > 1 && j > 1 && a.charCodeAt(i - 1) === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === b.charCodeAt(j - 1)) {
        distance = Math.min(distance, rows[twoAbove + j - 2] + 1)
      }
      rows[row + j] = distance
    }
  }
  return rows[(a.length % 3) * width + b.length]
}
