import { useCallback, useRef } from 'react';

/**
 * Our modals are mounted only while open, so Mantine's own "return focus on close" never runs.
 * This puts keyboard focus back on the button that opened the modal, or, if that button is gone
 * (the action removed it), on the page's main region, never on <body>.
 */
export function useReturnFocus() {
  const opener = useRef<HTMLElement | null>(null);
  const remember = useCallback(() => {
    opener.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  }, []);
  const restore = useCallback(() => {
    const target = opener.current;
    opener.current = null;
    window.setTimeout(() => {
      if (target?.isConnected && !target.hasAttribute('disabled')) target.focus();
      else document.getElementById('main-content')?.focus();
    }, 0);
  }, []);
  return { remember, restore };
}
