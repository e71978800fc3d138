import { useEffect } from 'react'
import { useAppStore } from '../store'

/** Applies the chosen theme (or the system's) to <html data-theme>, following OS changes live. */
export function useTheme(): void {
  const theme = useAppStore((s) => s.settings?.theme ?? 'system')
  useEffect(() => {
    const media = window.matchMedia('(prefers-color-scheme: dark)')
    const apply = () => {
      const resolved = theme === 'system' ? (media.matches ? 'dark' : 'light') : theme
      document.documentElement.dataset.theme = resolved
    }
    apply()
    media.addEventListener('change', apply)
    return () => media.removeEventListener('change', apply)
  }, [theme])
}
