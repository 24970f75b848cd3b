import { PasswordInput, type PasswordInputProps } from '@mantine/core';

/**
 * Mantine labels its show/hide button "Toggle password visibility"; a second element whose
 * label contains "password" makes `getByLabel('Password')` ambiguous, so the button gets a
 * name of its own.
 */
export function PasswordField(props: PasswordInputProps) {
  return <PasswordInput visibilityToggleButtonProps={{ 'aria-label': 'Show or hide what was typed' }} {...props} />;
}
