import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import './i18n';
import './ui/styles.css';
import { App } from './app/App';
import { registerServiceWorker } from './features/push/device';

const root = document.getElementById('root');
if (!root) throw new Error('Pier: #root is missing from index.html');

// The installable app's worker: caches the shell, shows push notifications (decision 0037).
registerServiceWorker();

createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
