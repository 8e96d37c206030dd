/** Formats rows as a plain text table with a header line, columns padded to their widest cell. */
export function formatTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
): string {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join(
    '\n',
  );
}

/** Formats a number with a fixed number of decimals, or '-' for null and undefined. */
export function formatNumber(value: number | null | undefined, decimals = 2): string {
  return value === null || value === undefined || !Number.isFinite(value)
    ? '-'
    : value.toFixed(decimals);
}

/** Formats a 0..1 share as a percentage, or '-' for null. */
export function formatPercent(value: number | null | undefined, decimals = 1): string {
  return value === null || value === undefined ? '-' : `${(value * 100).toFixed(decimals)}%`;
}
