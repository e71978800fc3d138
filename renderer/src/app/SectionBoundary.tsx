import { Component, type ErrorInfo, type ReactNode } from 'react'

interface Props {
  /** The section's name, shown in the message. */
  section: string
  children: ReactNode
}

interface State {
  error: Error | null
}

/**
 * Catches a render error in one section, so the rest of the app (sidebar, status bar, other
 * sections) keeps working: without it React unmounts the whole window. Keyed by section in App,
 * so opening another section starts clean.
 */
export class SectionBoundary extends Component<Props, State> {
  override state: State = { error: null }

  /** React's hook: a child threw while rendering. */
  static getDerivedStateFromError(error: Error): State {
    return { error }
  }

  /** Logged for the developer tools; the person sees the message below. */
  override componentDidCatch(error: Error, info: ErrorInfo): void {
    console.error(`The ${this.props.section} section failed to render`, error, info.componentStack)
  }

  override render(): ReactNode {
    const { error } = this.state
    if (!error) return this.props.children
    return (
      <div role="alert" className="banner error" data-testid="section-error">
        <strong>The {this.props.section} section hit an error and was closed:</strong> {error.message}{' '}
        <button type="button" onClick={() => this.setState({ error: null })}>
          Open it again
        </button>
      </div>
    )
  }
}
