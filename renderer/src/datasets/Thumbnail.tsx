import { useEffect, useState } from 'react'
import { getApi } from '../api/api'

/** A small preview of an image file on the workbench's machine, fetched through the contract. */
export function Thumbnail(props: { path: string; title: string }) {
  const [src, setSrc] = useState<string | null>(null)
  useEffect(() => {
    let live = true
    void getApi()
      .datasets.thumbnail({ path: props.path })
      .then((r) => live && r.ok && setSrc(r.value.dataUrl))
    return () => {
      live = false
    }
  }, [props.path])
  return src ? <img src={src} alt={props.title} title={props.title} /> : <span className="thumb-placeholder" title={props.title} />
}
