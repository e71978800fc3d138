import { seededRandom } from '../../../common/datasets/prng'

// Per species: mean and standard deviation of sepal length, sepal width, petal length, petal width
// (cm), the figures of Fisher's 1936 iris data, so the generated flowers separate the same way.
const SPECIES: { name: string; mean: number[]; std: number[] }[] = [
  { name: 'setosa', mean: [5.01, 3.43, 1.46, 0.25], std: [0.35, 0.38, 0.17, 0.11] },
  { name: 'versicolor', mean: [5.94, 2.77, 4.26, 1.33], std: [0.52, 0.31, 0.47, 0.2] },
  { name: 'virginica', mean: [6.59, 2.97, 5.55, 2.03], std: [0.64, 0.32, 0.55, 0.27] },
]

/** The tabular sample's column names. */
export const FLOWER_COLUMNS = ['sepal_length', 'sepal_width', 'petal_length', 'petal_width', 'species']

/**
 * An iris-like CSV, the same every time: `perSpecies` flowers of each of three species with
 * four measurements drawn around the real iris means (seeded normal noise), rows shuffled.
 */
export function flowersCsv(perSpecies = 50, seed = 1936): string {
  const random = seededRandom(seed)
  const normal = (): number => {
    // Box-Muller; 1 - u keeps the log argument above 0.
    const u = 1 - random()
    const v = random()
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v)
  }
  const rows: string[] = []
  for (const s of SPECIES) {
    for (let i = 0; i < perSpecies; i++) {
      const m = s.mean.map((mu, k) => Math.max(0.1, mu + s.std[k] * normal()).toFixed(1))
      rows.push([...m, s.name].join(','))
    }
  }
  for (let i = rows.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1))
    ;[rows[i], rows[j]] = [rows[j], rows[i]]
  }
  return `${FLOWER_COLUMNS.join(',')}\n${rows.join('\n')}\n`
}
