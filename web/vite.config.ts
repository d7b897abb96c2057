// Vite 8 builds the React app with its built-in Oxc transform (no React plugin): Oxc compiles TSX
// with React's automatic JSX runtime, matching `"jsx": "react-jsx"` in tsconfig.json.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  base: '/',
  oxc: { jsx: { runtime: 'automatic' } },
  build: {
    outDir: fileURLToPath(new URL('./dist', import.meta.url)),
    emptyOutDir: true,
    sourcemap: false,
    rolldownOptions: {
      // React Query ships "use client" directives for server-component bundlers; they mean
      // nothing in this client-only bundle, so the warning about dropping them is noise.
      onwarn(warning, warn) {
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return;
        warn(warning);
      },
    },
  },
  server: {
    // `npm run dev:web` proxies the API to a running `tabella serve` (default port 8080).
    proxy: { '/api': process.env.TABELLA_API_URL ?? 'http://localhost:8080' },
  },
});
