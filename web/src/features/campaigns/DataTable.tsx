import type { ReactNode } from 'react';

/** The campaign pages' tables: a scrolling wrapper, one header row (`head`: its cells) and the rows. */
export function DataTable(props: { testId: string; head: ReactNode; children: ReactNode; className?: string; ariaLabel?: string }) {
  return (
    <div className="table-scroll">
      <table
        className={props.className ? `data-table ${props.className}` : 'data-table'}
        data-testid={props.testId}
        aria-label={props.ariaLabel}
      >
        <thead>
          <tr>{props.head}</tr>
        </thead>
        <tbody>{props.children}</tbody>
      </table>
    </div>
  );
}
