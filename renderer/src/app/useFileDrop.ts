import { useState, type DragEvent } from 'react'

/** Drag-and-drop of files from the desktop onto an element: whether files hover it, and the handlers to spread on it. */
export function useFileDrop(onDrop: (dt: DataTransfer) => void): {
  over: boolean
  handlers: { onDragOver: (e: DragEvent) => void; onDragLeave: () => void; onDrop: (e: DragEvent) => void }
} {
  const [over, setOver] = useState(false)
  return {
    over,
    handlers: {
      onDragOver: (e) => {
        // Only file drags: palette layers and text selections are not ours to take.
        if (!e.dataTransfer.types.includes('Files')) return
        e.preventDefault()
        setOver(true)
      },
      onDragLeave: () => setOver(false),
      onDrop: (e) => {
        e.preventDefault()
        setOver(false)
        onDrop(e.dataTransfer)
      },
    },
  }
}
