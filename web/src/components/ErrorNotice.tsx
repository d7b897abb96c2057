import { describeError } from '../api/messages.ts';

/** An API error shown by its code's human message; announced to screen readers. */
export function ErrorNotice({ error }: { readonly error: unknown }) {
  if (error === null || error === undefined) return null;
  return (
    <div className="notice notice-error" role="alert">
      {describeError(error)}
    </div>
  );
}
