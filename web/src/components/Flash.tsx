import { useEffect, useState } from 'react';
import { useLocation, useNavigate } from 'react-router';

/**
 * Confirmations that outlive the navigation that announces them ("flash" notices). A page that
 * finishes something navigates with `state: flash('…')`; the frame of the signed-in pages shows the
 * notice on the page it lands on — also after a redirect, since redirects pass the state on (see
 * `RedirectKeepingState` in App.tsx) — and shows it once: the notice is dropped from the history
 * entry at once, so neither a reload nor Back shows it again, and it goes when the member moves on.
 */
const FLASH_MESSAGES = {
  'mfa-enabled': 'Two-factor authentication is on.',
} as const;

export type FlashKey = keyof typeof FLASH_MESSAGES;

/** The navigation state that carries a flash notice. */
export function flash(key: FlashKey): { readonly flash: FlashKey } {
  return { flash: key };
}

function flashOf(state: unknown): FlashKey | null {
  if (typeof state !== 'object' || state === null || !('flash' in state)) return null;
  const key = (state as { flash: unknown }).flash;
  return typeof key === 'string' && Object.hasOwn(FLASH_MESSAGES, key) ? (key as FlashKey) : null;
}

/** Shows the flash notice the current navigation brought, on the page it was brought to. */
export function FlashNotice() {
  const location = useLocation();
  const navigate = useNavigate();
  const incoming = flashOf(location.state);
  const [shown, setShown] = useState<{ readonly key: FlashKey; readonly pathname: string } | null>(null);
  const { pathname, search, hash } = location;
  useEffect(() => {
    if (incoming === null) return;
    setShown({ key: incoming, pathname });
    navigate({ pathname, search, hash }, { replace: true, state: null });
  }, [incoming, pathname, search, hash, navigate]);
  const key = incoming ?? (shown?.pathname === pathname ? shown.key : null);
  if (key === null) return null;
  return (
    <div className="notice notice-success" role="status" data-testid="flash-notice">
      {FLASH_MESSAGES[key]}
    </div>
  );
}
