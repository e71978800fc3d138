import type { ReactNode } from 'react'
import type { Section } from '../../../preload/contract'
import { useAppStore } from '../store'

/** A section's welcome: what it is for, what to do first, and recent items once there are some. */
export function SectionPage(props: { section: Section; title: string; lead: string; steps: ReactNode[]; emptyTitle: string }) {
  const items = useAppStore((s) => s.recent[props.section])
  return (
    <section className="section" data-testid={`section-${props.section}`}>
      <h1>{props.title}</h1>
      <p className="lead">{props.lead}</p>
      {items && items.length > 0 ? (
        <ul className="recent">
          {items.map((i) => (
            <li key={i.id}>
              <strong>{i.name}</strong> <span className="muted">{i.detail}</span>
            </li>
          ))}
        </ul>
      ) : (
        <div className="empty" data-testid="empty-state">
          <h2>{props.emptyTitle}</h2>
          <ol>
            {props.steps.map((s, i) => (
              <li key={i}>{s}</li>
            ))}
          </ol>
        </div>
      )}
    </section>
  )
}
