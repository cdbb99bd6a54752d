import { safeText } from './safe-text.js';

export interface TableColumn {
  readonly header: string;
  /** May be narrowed (its cells cut with `…`) to fit the width; ids and times are never cut. */
  readonly shrink?: boolean;
  /** The narrowest a shrinking column gets (default 8). */
  readonly min?: number;
}

export interface TableOptions {
  /** Columns the whole line must fit in (a terminal's width; 80 for files and pipes). */
  readonly width: number;
  /** Styles a cell after padding (colour), so escape codes never count towards widths. */
  readonly style?: (column: number, padded: string, cell: string) => string;
}

const GAP = '  ';
const cut = (cell: string, width: number) =>
  cell.length <= width ? cell : width <= 1 ? '…'.slice(0, width) : `${cell.slice(0, width - 1)}…`;

/**
 * The one text table of the CLI: a header, columns padded to their widest cell, every cell passed
 * through `safeText`. When the table is wider than `width`, the shrinkable columns give up width,
 * widest first, down to their minimum, and their cells end in `…`; if that is not enough, each line
 * is cut at `width`. No line is ever longer than `width`, so nothing wraps and leaves a stray tail.
 */
export function formatTable(
  columns: readonly TableColumn[],
  rows: readonly (readonly string[])[],
  options: TableOptions,
): string {
  const cells = [
    columns.map((c) => c.header),
    ...rows.map((r) => columns.map((_, i) => safeText(r[i] ?? ''))),
  ];
  const widths = columns.map((_, i) => Math.max(...cells.map((r) => r[i]!.length)));
  const total = () => widths.reduce((a, b) => a + b, 0) + GAP.length * (columns.length - 1);
  for (let excess = total() - options.width; excess > 0; excess--) {
    let widest = -1;
    columns.forEach((c, i) => {
      if (c.shrink && widths[i]! > (c.min ?? 8) && (widest < 0 || widths[i]! > widths[widest]!)) widest = i;
    });
    if (widest < 0) break;
    widths[widest]!--;
  }
  return cells
    .map((row, r) => {
      const line = row.map((cell, i) => {
        const shown = cut(cell, widths[i]!);
        const padded = i === row.length - 1 ? shown : shown.padEnd(widths[i]!);
        return r > 0 && options.style
          ? { padded, styled: options.style(i, padded, cell) }
          : { padded, styled: padded };
      });
      const plain = line
        .map((c) => c.padded)
        .join(GAP)
        .trimEnd();
      if (plain.length > options.width) return cut(plain, options.width);
      return line
        .map((c) => c.styled)
        .join(GAP)
        .trimEnd();
    })
    .join('\n')
    .concat('\n');
}
