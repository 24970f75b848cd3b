import { isApiError } from '../../lib/api';
import { fieldErrorsFrom } from '../../lib/form-errors';

interface FormLike {
  setFieldError: (path: never, error: string) => void;
  getInputNode: (path: never) => HTMLElement | null;
}

/**
 * Like `applyApiError`, for forms with lists: the API may name a path deeper than any input
 * (`clocks.0.warnAt.1`, `rungs.2`), so each message goes to the nearest path the form shows.
 * Returns the message for the form as a whole (null when every message found its field) and
 * focuses the first field to fix.
 */
export function placeApiErrors(form: FormLike, error: unknown, knownPaths: readonly string[]): string | null {
  if (!isApiError(error)) return 'Something went wrong. Please try again.';
  const known = new Set(knownPaths);
  const setError = form.setFieldError as (path: string, error: string) => void;
  const placed: string[] = [];
  let unplaced = 0;
  for (const [path, message] of Object.entries(fieldErrorsFrom(error.details))) {
    const parts = path.split('.');
    while (parts.length > 0 && !known.has(parts.join('.'))) parts.pop();
    if (parts.length === 0) {
      unplaced += 1;
      continue;
    }
    const target = parts.join('.');
    setError(target, message);
    placed.push(target);
  }
  if (placed[0]) (form.getInputNode as (path: string) => HTMLElement | null)(placed[0])?.focus();
  return placed.length > 0 && unplaced === 0 ? null : error.message;
}
