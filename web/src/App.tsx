import { type ReactNode, useMemo } from 'react';
import { Navigate, Outlet, Route, Routes, useLocation } from 'react-router';
import { ErrorNotice } from './components/ErrorNotice.tsx';
import { AppLayout, PublicLayout } from './components/Layout.tsx';
import { AccountPage } from './pages/AccountPage.tsx';
import { ApplyPage } from './pages/ApplyPage.tsx';
import { FeedsPage } from './pages/FeedsPage.tsx';
import { GroupsPage } from './pages/GroupsPage.tsx';
import { IntelDetailPage } from './pages/IntelDetailPage.tsx';
import { IntelPage } from './pages/IntelPage.tsx';
import { InvitePage } from './pages/InvitePage.tsx';
import { MembersPage } from './pages/MembersPage.tsx';
import { MfaEnrollPage } from './pages/MfaEnrollPage.tsx';
import { NotFoundPage } from './pages/NotFoundPage.tsx';
import { OrganizationPage } from './pages/OrganizationPage.tsx';
import { OrganizationsPage } from './pages/OrganizationsPage.tsx';
import { OversightPage } from './pages/OversightPage.tsx';
import { ResetPage } from './pages/ResetPage.tsx';
import { SetupPage } from './pages/SetupPage.tsx';
import { SharePage } from './pages/SharePage.tsx';
import { SignInPage } from './pages/SignInPage.tsx';
import { TokensPage } from './pages/TokensPage.tsx';
import { ActorContext, actorOf, useSession, useSetupStatus } from './session/session.ts';

function Loading() {
  return (
    <div className="loading" role="status" aria-live="polite">
      Loading…
    </div>
  );
}

function LoadFailed({ error }: { readonly error: unknown }) {
  return (
    <PublicLayout>
      <h1>Tabella is unavailable</h1>
      <ErrorNotice error={error} />
      <button type="button" className="button" onClick={() => window.location.reload()}>
        Try again
      </button>
    </PublicLayout>
  );
}

/** Until the first administrator exists, every page leads to first-run setup. */
function SetupGate({ children }: { readonly children: ReactNode }) {
  const setup = useSetupStatus();
  const location = useLocation();
  if (setup.isPending) return <Loading />;
  if (setup.isError) return <LoadFailed error={setup.error} />;
  const onSetup = location.pathname === '/setup';
  if (setup.data.needed && !onSetup) return <Navigate to="/setup" replace />;
  if (!setup.data.needed && onSetup) return <Navigate to="/sign-in" replace />;
  return children;
}

/** Pages for signed-in members; admins without MFA are held on the enrollment page. */
function RequireSession({ allowMfaEnrollment = false }: { readonly allowMfaEnrollment?: boolean }) {
  const session = useSession();
  const location = useLocation();
  const actor = useMemo(() => (session.data ? actorOf(session.data) : null), [session.data]);
  if (session.isPending) return <Loading />;
  if (session.isError) return <LoadFailed error={session.error} />;
  if (session.data === null || actor === null) {
    return <Navigate to="/sign-in" replace state={{ from: location.pathname + location.search }} />;
  }
  if (session.data.mfaEnrollmentRequired && !allowMfaEnrollment) return <Navigate to="/mfa" replace />;
  return (
    <ActorContext value={actor}>
      <Outlet />
    </ActorContext>
  );
}

/**
 * A redirect that passes the navigation's state on: `<Navigate>` alone drops it, and with it a
 * confirmation meant for the page the redirect leads to (components/Flash.tsx).
 */
function RedirectKeepingState({ to }: { readonly to: string }) {
  const { state } = useLocation();
  return <Navigate to={to} replace state={state} />;
}

/** Sign-in is for signed-out visitors only. */
function SignedOutOnly({ children }: { readonly children: ReactNode }) {
  const session = useSession();
  if (session.isPending) return <Loading />;
  if (session.data) return <Navigate to={session.data.mfaEnrollmentRequired ? '/mfa' : '/'} replace />;
  return children;
}

export function App() {
  return (
    <SetupGate>
      <Routes>
        <Route path="/setup" element={<SetupPage />} />
        <Route
          path="/sign-in"
          element={
            <SignedOutOnly>
              <SignInPage />
            </SignedOutOnly>
          }
        />
        <Route path="/apply" element={<ApplyPage />} />
        <Route path="/invite/:token" element={<InvitePage />} />
        <Route path="/reset/:token" element={<ResetPage />} />
        <Route element={<RequireSession allowMfaEnrollment />}>
          <Route path="/mfa" element={<MfaEnrollPage />} />
        </Route>
        <Route element={<RequireSession />}>
          <Route element={<AppLayout />}>
            <Route index element={<RedirectKeepingState to="/members" />} />
            <Route path="/intel" element={<IntelPage />} />
            <Route path="/intel/new" element={<SharePage />} />
            <Route path="/intel/:id" element={<IntelDetailPage />} />
            <Route path="/groups" element={<GroupsPage />} />
            <Route path="/feeds" element={<FeedsPage />} />
            <Route path="/organizations" element={<OrganizationsPage />} />
            <Route path="/organizations/:id" element={<OrganizationPage />} />
            <Route path="/members" element={<MembersPage />} />
            <Route path="/oversight" element={<OversightPage />} />
            <Route path="/tokens" element={<TokensPage />} />
            <Route path="/account" element={<AccountPage />} />
            <Route path="*" element={<NotFoundPage />} />
          </Route>
        </Route>
      </Routes>
    </SetupGate>
  );
}
