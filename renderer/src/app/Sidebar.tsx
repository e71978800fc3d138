import { SECTIONS, type Section } from '../../../common/contract'
import { useAppStore } from '../store'
import { openSection } from '../store/actions'

/** Section labels and the one-line hint shown under each. */
export const SECTION_INFO: Record<Section, { label: string; glyph: string; hint: string }> = {
  datasets: { label: 'Datasets', glyph: '▤', hint: 'Import CSV files and image folders' },
  designer: { label: 'Designer', glyph: '◇', hint: 'Draw a network layer by layer' },
  runs: { label: 'Runs', glyph: '▶', hint: 'Train and watch live curves' },
  compare: { label: 'Compare', glyph: '≋', hint: 'Put runs side by side' },
}

/** The left navigation between the four sections (icons only on narrow windows, so the sections keep their room). */
export function Sidebar() {
  const current = useAppStore((s) => s.section)
  return (
    <nav className="sidebar" aria-label="Sections">
      <div className="brand" title="Neural Workbench">
        <span className="brand-short" aria-hidden>
          NW
        </span>
        <span className="brand-long">Neural Workbench</span>
      </div>
      <ul>
        {SECTIONS.map((s) => (
          <li key={s}>
            <button
              type="button"
              className={s === current ? 'nav-item active' : 'nav-item'}
              aria-current={s === current ? 'page' : undefined}
              data-section={s}
              onClick={() => void openSection(s)}
              title={`${SECTION_INFO[s].label}: ${SECTION_INFO[s].hint}`}
              aria-label={SECTION_INFO[s].label}
            >
              <span className="glyph" aria-hidden>
                {SECTION_INFO[s].glyph}
              </span>
              <span className="nav-label">{SECTION_INFO[s].label}</span>
            </button>
          </li>
        ))}
      </ul>
    </nav>
  )
}
