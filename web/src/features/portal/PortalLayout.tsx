import { Container, Text } from '@mantine/core';
import { useEffect, type ReactNode } from 'react';
import classes from './portal.module.css';

export const FOOTER_TEXT =
  'Your complaint is handled under the rules of the Financial Conduct Authority; you can refer it to the Financial Ombudsman Service if you are not happy with our final response.';

/** Customers see the organisation's name in the tab, not the name of our software. */
export function usePortalTitle(title: string, organisation?: string | null): void {
  useEffect(() => {
    document.title = organisation ? `${title} · ${organisation}` : title;
  }, [title, organisation]);
}

/**
 * The public pages' frame: no staff navigation, no account. The organisation's name at the top,
 * one main landmark, and the regulator line at the foot of every page.
 */
export function PortalLayout({ organisation, children }: { organisation?: string | null; children: ReactNode }) {
  return (
    <div className={classes.page}>
      <a href="#main-content" className={classes.skipLink}>
        Skip to content
      </a>
      <header className={classes.header}>
        <Container size="sm" py="md" px="md">
          {/* Not a heading: each page's own h1 says what the page is for. */}
          <p className={classes.organisation}>{organisation || 'Complaints'}</p>
        </Container>
      </header>
      <main id="main-content" tabIndex={-1} className={classes.main}>
        <Container size="sm" py="lg" px="md">
          {children}
        </Container>
      </main>
      <footer className={classes.footer}>
        <Container size="sm" py="md" px="md">
          <Text size="sm">{FOOTER_TEXT}</Text>
        </Container>
      </footer>
    </div>
  );
}
