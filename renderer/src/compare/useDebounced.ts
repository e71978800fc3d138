import { useEffect, useState } from 'react'

/** A text field's value that follows the store but commits typing only after `ms` of quiet. */
export function useDebouncedField(stored: string, commit: (v: string) => void, ms = 350): [string, (v: string) => void] {
  const [value, setValue] = useState(stored)
  const [dirty, setDirty] = useState(false)
  useEffect(() => {
    if (!dirty) setValue(stored)
  }, [stored, dirty])
  useEffect(() => {
    if (!dirty) return
    const t = setTimeout(() => {
      setDirty(false)
      if (value !== stored) commit(value)
    }, ms)
    return () => clearTimeout(t)
    // commit is a module action; only the typed value restarts the timer
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [value, dirty])
  return [
    value,
    (v: string) => {
      setValue(v)
      setDirty(true)
    },
  ]
}
