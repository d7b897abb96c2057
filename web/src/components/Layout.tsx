import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useEffect, useRef } from 'react';
import { Link, NavLink, Outlet, useLocation, useNavigate } from 'react-router';
import { api } from '../api/client.ts';
import { forgetSession, useActor } from '../session/session.ts';
import { FlashNotice } from './Flash.tsx';

function Brand() {
  return (
    <span className="brand">
      <span className="brand-mark" aria-hidden="true">
        T
      </span>
      Tabella
    </span>
  );
}

/** The frame of every signed-in page: top bar, navigation, the signed-in member. */
export function AppLayout() {
  const actor = useActor();
  const client = useQueryClient();
  const navigate = useNavigate();
  const { pathname } = useLocation();
  const main = useRef<HTMLElement>(null);
  const firstRender = useRef(true);
  // After client-side navigation, move focus to the new page so screen readers announce it and
  // keyboard users start from its top (a full page load does this by itself).
  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    if (pathname) main.current?.focus();
  }, [pathname]);
  const signOut = useMutation({
    mutationFn: () => api.delete('/api/v1/session'),
    onSettled: () => {
      forgetSession(client);
      navigate('/sign-in', { replace: true });
    },
  });
  const nav = [
    { to: '/intel', label: 'Intelligence' },
    { to: '/groups', label: 'Groups' },
    { to: '/feeds', label: 'TAXII' },
    { to: '/organizations', label: 'Organizations' },
    { to: '/members', label: 'Members' },
    ...(actor.canReadAuditTrail ? [{ to: '/oversight', label: 'Oversight' }] : []),
    { to: '/tokens', label: 'API tokens' },
  ];
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <div className="topbar-inner">
          <Link to="/" className="brand-link" aria-label="Tabella home">
            <Brand />
          </Link>
          <nav aria-label="Main" className="mainnav">
            <ul>
              {nav.map((item) => (
                <li key={item.to}>
                  <NavLink to={item.to}>{item.label}</NavLink>
                </li>
              ))}
            </ul>
          </nav>
          <div className="whoami">
            {/* The signed-in member's name leads to their account (password, MFA, sign-out everywhere). */}
            <NavLink to="/account" className="whoami-text" title="Your account">
              <span className="sr-only">Your account: </span>
              <span className="whoami-name" data-testid="whoami-name">
                {actor.member.displayName}
              </span>
              <span className="whoami-org" data-testid="whoami-org">
                {actor.organization.name}
              </span>
            </NavLink>
            <button
              type="button"
              className="button button-ghost"
              onClick={() => signOut.mutate()}
              disabled={signOut.isPending}
            >
              Sign out
            </button>
          </div>
        </div>
      </header>
      <main id="main" className="content" tabIndex={-1} ref={main}>
        {actor.organization.status === 'pending' ? (
          <div className="notice notice-warn">
            Your organization is waiting to be vetted by the partnership's operators. Until then it does not
            take part in sharing.
          </div>
        ) : null}
        <FlashNotice />
        <Outlet />
      </main>
    </>
  );
}

/** The frame of the public pages (setup, sign-in, apply, invitation, MFA enrollment). */
export function PublicLayout({
  children,
  wide = false,
}: {
  readonly children: ReactNode;
  readonly wide?: boolean;
}) {
  return (
    <div className="public">
      <header className="public-header">
        <Brand />
        <p className="tagline">Election-security partnership hub</p>
      </header>
      <main id="main" className={wide ? 'card card-wide' : 'card'}>
        {children}
      </main>
    </div>
  );
}

export function PageHeader({ title, children }: { readonly title: string; readonly children?: ReactNode }) {
  return (
    <div className="page-header">
      <h1>{title}</h1>
      {children === undefined ? null : <div className="page-actions">{children}</div>}
    </div>
  );
}
