import { isApiError } from './api';

/**
 * Turns an API validation error into per-field messages, so the message sits next to the input
 * it is about (and is announced with it) instead of only at the top of the form.
 *
 * The `details` shape is not fixed by the API contract, so this accepts the common ones:
 * zod issues `[{path: ['email'], message}]`, ajv errors `[{instancePath: '/email', message}]`,
 * `{fieldErrors: {email: ['…']}}` and plain `{email: '…'}`.
 */
export function fieldErrorsFrom(details: unknown): Record<string, string> {
  const errors: Record<string, string> = {};
  const add = (field: unknown, message: unknown) => {
    if (typeof field !== 'string' || !field || typeof message !== 'string' || !message) return;
    // Server messages are terse fragments ("already in use"); under a label they read as a sentence.
    errors[field] ??= message[0]!.toUpperCase() + message.slice(1);
  };

  const list = Array.isArray(details)
    ? details
    : Array.isArray((details as { issues?: unknown })?.issues)
      ? (details as { issues: unknown[] }).issues
      : null;
  if (list) {
    for (const issue of list as Record<string, unknown>[]) {
      if (!issue || typeof issue !== 'object') continue;
      const path = Array.isArray(issue.path)
        ? issue.path.map(String).join('.')
        : typeof issue.path === 'string'
          ? issue.path
          : typeof issue.instancePath === 'string'
            ? issue.instancePath.replace(/^\//, '').replaceAll('/', '.')
            : typeof issue.field === 'string'
              ? issue.field
              : undefined;
      add(path?.replace(/^body\./, ''), issue.message);
    }
    return errors;
  }

  if (details && typeof details === 'object') {
    const source = (details as { fieldErrors?: unknown }).fieldErrors ?? details;
    if (source && typeof source === 'object') {
      for (const [field, value] of Object.entries(source as Record<string, unknown>)) {
        add(field, Array.isArray(value) ? value[0] : value);
      }
    }
  }
  return errors;
}

interface FormLike {
  setFieldError: (path: never, error: string) => void;
}

/**
 * Puts the error of a failed save on the form: field messages where the API named a field we
 * show, and returns the message to show for the form as a whole (or null if every part of the
 * error found its field).
 */
export function applyApiError(form: FormLike, error: unknown, fields: readonly string[]): string | null {
  if (!isApiError(error)) return 'Something went wrong. Please try again.';
  const byField = fieldErrorsFrom(error.details);
  let placed = 0;
  for (const [field, message] of Object.entries(byField)) {
    if (!fields.includes(field)) continue;
    (form.setFieldError as (path: string, error: string) => void)(field, message);
    placed += 1;
  }
  if (placed > 0 && placed === Object.keys(byField).length) return null;
  // Duplicate e-mail is the one conflict people can fix in a field.
  if (error.code === 'already_exists' && fields.includes('email') && placed === 0) {
    (form.setFieldError as (path: string, error: string) => void)('email', error.message);
    return null;
  }
  return error.message;
}

/**
 * For `form.onSubmit(submit, focusFirstError(form))`: after a failed check, keyboard and
 * screen-reader users land on the first field to fix instead of staying on the button.
 */
export function focusFirstError(form: { getInputNode: (path: never) => HTMLElement | null }) {
  return (errors: Record<string, unknown>) => {
    const first = Object.keys(errors).find((field) => errors[field]);
    if (first) (form.getInputNode as (path: string) => HTMLElement | null)(first)?.focus();
  };
}
