import { createTheme, Modal, Notification, type CSSVariablesResolver } from '@mantine/core';

export const theme = createTheme({
  primaryColor: 'indigo',
  // Shades 7+ keep white button text above WCAG AA contrast.
  primaryShade: 7,
  // Focus rings for keyboard users only, never removed.
  focusRing: 'auto',
  defaultRadius: 'sm',
  fontFamily:
    'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", sans-serif',
  components: {
    // Mantine's icon-only close buttons have no accessible name of their own.
    Modal: Modal.extend({ defaultProps: { closeButtonProps: { 'aria-label': 'Close' } } }),
    Notification: Notification.extend({ defaultProps: { closeButtonProps: { 'aria-label': 'Close notification' } } }),
  },
});

/**
 * Mantine's light-scheme defaults for secondary text (gray-6, 3.3:1), errors (red-6, 3.3:1),
 * links and some tinted text fall below the WCAG AA 4.5:1 contrast for small text; these pass.
 */
export const cssVariablesResolver: CSSVariablesResolver = () => ({
  variables: {},
  light: {
    '--mantine-color-dimmed': 'var(--mantine-color-gray-7)',
    '--mantine-color-error': 'var(--mantine-color-red-9)',
    '--mantine-color-anchor': 'var(--mantine-color-indigo-8)',
    '--mantine-color-placeholder': 'var(--mantine-color-gray-6)',
    // Text on "light" badges and alerts (shade 9 on shade 1): yellow 2.7:1, orange 3.6:1 and
    // teal 4.3:1 by default; these darker tones reach 5.5:1 or more.
    '--mantine-color-yellow-light-color': '#7c4a03',
    '--mantine-color-orange-light-color': '#a33c0b',
    '--mantine-color-teal-light-color': '#05634a',
  },
  dark: {},
});
