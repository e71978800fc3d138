import { seededRandom } from '../../../common/datasets/prng'

// Word lists the generated reviews draw from: each review mixes neutral filler with words of its
// sentiment (and, for realism, now and then one of the other), so a small model learns it quickly.
const POSITIVE = ['great', 'excellent', 'love', 'wonderful', 'amazing', 'perfect', 'happy', 'recommend', 'fantastic', 'enjoyed', 'brilliant', 'delightful', 'superb', 'pleased', 'best', 'lovely', 'solid', 'reliable', 'comfortable', 'beautiful']
const NEGATIVE = ['terrible', 'awful', 'hate', 'broken', 'disappointing', 'poor', 'worst', 'refund', 'useless', 'annoying', 'bad', 'horrible', 'cheap', 'waste', 'faulty', 'slow', 'ugly', 'returned', 'regret', 'flimsy']
const NEUTRAL = ['the', 'product', 'it', 'was', 'and', 'a', 'delivery', 'this', 'item', 'i', 'box', 'after', 'days', 'color', 'size', 'with', 'my', 'order', 'price', 'quality', 'arrived', 'use', 'is', 'very', 'of', 'for', 'week', 'phone', 'kitchen', 'shoes']

/** The text sample's column names. */
export const REVIEW_COLUMNS = ['review', 'sentiment']

/**
 * A product-review CSV, the same every time: `rows` reviews of 8 to 30 words (seeded), half
 * positive and half negative, each with about a third of its words from its sentiment's list.
 */
export function reviewsCsv(rows = 600, seed = 2024): string {
  const random = seededRandom(seed)
  const pick = (list: readonly string[]): string => list[Math.floor(random() * list.length)]
  const lines: string[] = []
  for (let r = 0; r < rows; r++) {
    const positive = r % 2 === 0
    const [own, other] = positive ? [POSITIVE, NEGATIVE] : [NEGATIVE, POSITIVE]
    const n = 8 + Math.floor(random() * 23)
    const words: string[] = []
    for (let i = 0; i < n; i++) {
      const u = random()
      words.push(pick(u < 0.3 ? own : u < 0.35 ? other : NEUTRAL))
    }
    words[0] = words[0][0].toUpperCase() + words[0].slice(1)
    lines.push(`"${words.join(' ')}.",${positive ? 'positive' : 'negative'}`)
  }
  return `${REVIEW_COLUMNS.join(',')}\n${lines.join('\n')}\n`
}
