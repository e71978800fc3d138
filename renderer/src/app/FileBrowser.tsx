import { useEffect, useState } from 'react'
import type { FolderListing } from '../../../common/contract'
import { getApi } from '../api/api'

/** What a FileBrowser lets the person pick. */
export interface FileBrowserProps {
  title: string
  start?: string
  /** Label of the "pick the folder shown" button. */
  folderLabel: string
  onPickFolder: (path: string) => void
  /** When given, files whose names match `acceptFiles` can be picked too; other files are shown disabled. */
  onPickFile?: (path: string) => void
  acceptFiles?: RegExp
  /** data-testid of the current-path element. */
  pathTestId: string
  onClose: () => void
}

/**
 * A file and folder chooser over the machine the workbench runs on: in the browser host that is the
 * host machine, which a browser's own file dialog cannot browse.
 */
export function FileBrowser(props: FileBrowserProps) {
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
  const showFiles = props.onPickFile !== undefined
  return (
    <div className="modal-backdrop" role="dialog" aria-label={props.title}>
      <div className="modal file-browser">
        <header>
          <strong>{props.title}</strong>
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
              <code data-testid={props.pathTestId}>{listing.path}</code>
              <button type="button" onClick={() => props.onPickFolder(listing.path)}>
                {props.folderLabel}
              </button>
            </div>
            <ul className="file-list">
              {listing.entries
                .filter((e) => showFiles || e.kind === 'dir')
                .map((e) => (
                  <li key={e.name}>
                    {e.kind === 'dir' ? (
                      <button type="button" className="link" onClick={() => void open(`${listing.path}/${e.name}`)}>
                        📁 {e.name}
                      </button>
                    ) : (
                      <button type="button" className="link" disabled={!props.acceptFiles?.test(e.name)} onClick={() => props.onPickFile?.(`${listing.path}/${e.name}`)}>
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
