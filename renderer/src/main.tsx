import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { App } from './app/App'
import { bootstrap, openSection } from './store/actions'
import { sectionFromHash } from './store/navSlice'
import './styles/app.css'

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
)
window.addEventListener('hashchange', () => void openSection(sectionFromHash(location.hash)))
void bootstrap()
