import type { ReactNode } from 'react';
import { AlertIcon } from './icons';

/** An inline message about something the user can fix (amber; red is reserved for fraud and SLA). */
export function Notice({ children, testId }: { children: ReactNode; testId?: string }) {
  return (
    <div className="notice" role="alert" data-testid={testId}>
      <AlertIcon />
      <div className="notice-body">{children}</div>
    </div>
  );
}
