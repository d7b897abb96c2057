import { describeError } from '../api/messages.ts';

interface Props {
  readonly error: unknown;
  /** Messages for codes whose meaning depends on the form (e.g. a wrong current password). */
  readonly messages?: Readonly<Record<string, string>>;
}

/** An API error shown by its code's human message; announced to screen readers. */
export function ErrorNotice({ error, messages }: Props) {
  if (error === null || error === undefined) return null;
  return (
    <div className="notice notice-error" role="alert">
      {describeError(error, messages)}
    </div>
  );
}
