import { useEffect, useState } from 'react'
import type { FolderListing } from '../../../preload/contract'
import { getApi } from '../api/api'

/** A folder chooser over the machine the workbench runs on (in the browser host, the host machine). */
export function FolderPicker(props: { start?: string; onPick: (path: string) => void; onClose: () => void }) {
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
    void open(props.start || undefined)
  }, [props.start])
  return (
    <div className="modal-backdrop" role="dialog" aria-label="Choose a folder">
      <div className="modal file-browser">
        <header>
          <strong>Choose the folder to export into</strong>
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
              <code data-testid="folder-picker-path">{listing.path}</code>
              <button type="button" onClick={() => props.onPick(listing.path)}>
                Use this folder
              </button>
            </div>
            <ul className="file-list">
              {listing.entries
                .filter((e) => e.kind === 'dir')
                .map((e) => (
                  <li key={e.name}>
                    <button type="button" className="link" onClick={() => void open(`${listing.path}/${e.name}`)}>
                      📁 {e.name}
                    </button>
                  </li>
                ))}
            </ul>
          </>
        )}
      </div>
    </div>
  )
}
