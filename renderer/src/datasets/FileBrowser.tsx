import { useEffect, useState } from 'react'
import type { FolderListing } from '../../../preload/contract'
import { getApi } from '../api/api'

const IMPORTABLE = /\.(csv|tsv|txt)$/i

/** A file picker over the machine the workbench runs on (the browser host has no native dialog). */
export function FileBrowser(props: { start?: string; onPick: (path: string, kind: 'csv' | 'images') => void; onClose: () => void }) {
  const [listing, setListing] = useState<FolderListing | null>(null)
  const [error, setError] = useState<string | null>(null)
  const open = async (path?: string) => {
    const res = await getApi().files.list({ path })
    if (res.ok) {
      setListing(res.value)
      setError(null)
    } else setError(res.message)
  }
  useEffect(() => {
    void open(props.start)
  }, [props.start])
  return (
    <div className="modal-backdrop" role="dialog" aria-label="Choose data">
      <div className="modal file-browser">
        <header>
          <strong>Choose a CSV file or a folder of images</strong>
          <button type="button" onClick={props.onClose} aria-label="Close">
            ×
          </button>
        </header>
        {error && <div className="banner error">{error}</div>}
        {listing && (
          <>
            <div className="path-bar">
              <button type="button" disabled={!listing.parent} onClick={() => listing.parent && void open(listing.parent)}>
                ↑ Up
              </button>
              <code data-testid="browser-path">{listing.path}</code>
              <button type="button" onClick={() => props.onPick(listing.path, 'images')} title="Import this folder: one subfolder per class">
                Use this folder (images)
              </button>
            </div>
            <ul className="file-list">
              {listing.entries.map((e) => (
                <li key={e.name}>
                  {e.kind === 'dir' ? (
                    <button type="button" className="link" onClick={() => void open(`${listing.path}/${e.name}`)}>
                      📁 {e.name}
                    </button>
                  ) : (
                    <button type="button" className="link" disabled={!IMPORTABLE.test(e.name)} onClick={() => props.onPick(`${listing.path}/${e.name}`, 'csv')}>
                      📄 {e.name} <span className="muted">{(e.size / 1024).toFixed(1)} KB</span>
                    </button>
                  )}
                </li>
              ))}
            </ul>
          </>
        )}
      </div>
    </div>
  )
}
