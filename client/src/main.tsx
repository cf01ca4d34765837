import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import { i18nReady } from './i18n/index.js';
import { App } from './App.js';
import './styles/tokens.css';
import './styles/shared.css';
import './styles.css';

const container = document.getElementById('root');
if (!container) throw new Error('#root missing in index.html');

const root = createRoot(container);
// the texts of the reader's language first (German is bundled; English arrives in one small request)
void i18nReady.finally(() =>
  root.render(
    <StrictMode>
      <BrowserRouter>
        <App />
      </BrowserRouter>
    </StrictMode>,
  ),
);
