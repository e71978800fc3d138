import { useEffect } from 'react'
import { copySelection, pasteClipboard, redoEdit, undoEdit } from '../store/designerActions'

/** Undo/redo and copy/paste shortcuts while the Designer is open (not while typing in a field). */
export function useDesignerKeys(): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const el = e.target as HTMLElement | null
      if (el && (el.tagName === 'INPUT' || el.tagName === 'SELECT' || el.tagName === 'TEXTAREA' || el.isContentEditable)) return
      if (!(e.ctrlKey || e.metaKey)) return
      const key = e.key.toLowerCase()
      if (key === 'z' && !e.shiftKey) undoEdit()
      else if ((key === 'z' && e.shiftKey) || key === 'y') redoEdit()
      else if (key === 'c') copySelection()
      else if (key === 'v') pasteClipboard()
      else return
      e.preventDefault()
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [])
}
