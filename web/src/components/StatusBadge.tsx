import { Badge } from '@mantine/core';

/**
 * Active/inactive style state: the word carries the meaning, colour only repeats it. The badge
 * keeps its full width so a narrow table column cannot cut the word to "AC…".
 */
export function StatusBadge({ positive, label }: { positive: boolean; label: string }) {
  return (
    <Badge variant="light" color={positive ? 'teal' : 'gray'} style={{ minWidth: 'max-content' }}>
      {label}
    </Badge>
  );
}
