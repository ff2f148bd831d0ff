// A text input that hands its value on when the officer leaves it or presses Enter, not on every
// key: each hand-on rewrites the policy text, which re-reads the grid.
import { useEffect, useState } from 'react';

interface Props { label: string; testId: string; value: string; readOnly: boolean; size?: number; onCommit(v: string): void }

export function CommitInput({ label, testId, value, readOnly, size, onCommit }: Props) {
  const [text, setText] = useState(value);
  useEffect(() => setText(value), [value]);
  const commit = () => { if (text !== value) onCommit(text); };
  return (
    <input type="text" aria-label={label} data-testid={testId} value={text} readOnly={readOnly} size={size}
      onChange={(e) => setText(e.target.value)} onBlur={commit}
      onKeyDown={(e) => { if (e.key === 'Enter') { e.preventDefault(); commit(); } }} />
  );
}
