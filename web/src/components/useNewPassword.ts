import { useState } from 'react';

/**
 * State for a new password typed twice: the props for {@link PasswordFields}, and at submit
 * `confirmed()`, which says whether the two entries agree and remembers a mismatch to show.
 */
export function useNewPassword() {
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [mismatch, setMismatch] = useState(false);
  return {
    value: password,
    mismatch,
    fields: { value: password, onChange: setPassword, repeat: { value: repeat, onChange: setRepeat } },
    confirmed(): boolean {
      const same = password === repeat;
      setMismatch(!same);
      return same;
    },
    clear() {
      setPassword('');
      setRepeat('');
    },
  };
}
