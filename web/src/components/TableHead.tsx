/** A table's header row of column names (`<th scope="col">` each). */
import type { ReactNode } from 'react';

/** `<thead>` with one column header per entry. */
export function TableHead(props: { columns: ReactNode[] }) {
  return (
    <thead>
      <tr>
        {props.columns.map((c, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: fixed columns, never reordered
          <th key={i} scope="col">
            {c}
          </th>
        ))}
      </tr>
    </thead>
  );
}
