import { useEffect } from 'react';

/** Sets the tab title to "<title> · Pier". */
export function useDocumentTitle(title: string | null): void {
  useEffect(() => {
    document.title = title ? `${title} · Pier` : 'Pier';
  }, [title]);
}
