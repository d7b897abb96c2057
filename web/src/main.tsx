import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import { App } from './App.tsx';
import { ApiError } from './api/client.ts';
import { ErrorBoundary } from './components/ErrorBoundary.tsx';
import { SESSION_KEY } from './session/session.ts';
import './styles.css';

/** UNAUTHENTICATED or SESSION_EXPIRED anywhere means the session ended (expired, signed out elsewhere): go back to sign-in. */
function onApiError(error: unknown): void {
  if (!(error instanceof ApiError)) return;
  if (
    (error.code === 'UNAUTHENTICATED' || error.code === 'SESSION_EXPIRED') &&
    queryClient.getQueryData(SESSION_KEY)
  ) {
    queryClient.setQueryData(SESSION_KEY, null);
  }
  if (error.code === 'MFA_ENROLLMENT_REQUIRED') void queryClient.invalidateQueries({ queryKey: SESSION_KEY });
}

const queryClient: QueryClient = new QueryClient({
  queryCache: new QueryCache({ onError: onApiError }),
  mutationCache: new MutationCache({ onError: onApiError }),
  defaultOptions: {
    queries: {
      // Client errors are answers, not glitches: retry only network and server failures.
      retry: (count, error) =>
        count < 2 && !(error instanceof ApiError && error.status >= 400 && error.status < 500),
      refetchOnWindowFocus: false,
    },
  },
});

const root = document.getElementById('root');
if (root === null) throw new Error('missing #root');
createRoot(root).render(
  <StrictMode>
    <ErrorBoundary>
      <QueryClientProvider client={queryClient}>
        <BrowserRouter>
          <App />
        </BrowserRouter>
      </QueryClientProvider>
    </ErrorBoundary>
  </StrictMode>,
);
