import { useEffect, useState } from 'react'
import { getApi } from '../api/api'

/** A small preview of an image file on the workbench's machine, fetched through the contract. */
export function Thumbnail(props: { path: string; title: string }) {
  const [src, setSrc] = useState<string | null>(null)
  const [error, setError] = useState<string | null>(null)
  useEffect(() => {
    let live = true
    setError(null)
    void getApi()
      .datasets.thumbnail({ path: props.path })
      .then((r) => {
        if (!live) return
        // Shown in place (a folder may hold many unreadable images): the placeholder is marked and says why.
        if (r.ok) setSrc(r.value.dataUrl)
        else setError(r.message)
      })
    return () => {
      live = false
    }
  }, [props.path])
  if (src) return <img src={src} alt={props.title} title={props.title} />
  return <span className={error ? 'thumb-placeholder broken' : 'thumb-placeholder'} title={error ? `${props.title}: ${error}` : props.title} role={error ? 'img' : undefined} aria-label={error ? `${props.title}: ${error}` : undefined} />
}
