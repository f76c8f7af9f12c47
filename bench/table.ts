// Renders the figures as one plain-text table: figure, measured, floor, ratio, goal, verdict.
import type { FigureRow } from './figure';

export function renderTable(rows: readonly FigureRow[]): string {
  const header = ['figure', 'measured', 'floor', 'ratio', 'goal', 'verdict', 'note'];
  const lines = rows.map((row) => [
    row.title,
    row.measured === undefined ? '—' : `${row.measured} ${row.unit}`,
    row.floor === undefined ? '—' : `${row.floor} ${row.unit}`,
    row.ratio === undefined || Number.isNaN(row.ratio) ? '—' : `${row.ratio}×`,
    row.goal || '—',
    row.met === undefined ? (row.note?.startsWith('not measured') ? 'NOT MEASURED' : '—') : row.met ? 'met' : 'MISSED',
    [row.floorLabel ? `floor: ${row.floorLabel}` : '', row.note ?? ''].filter(Boolean).join('; '),
  ]);
  const widths = header.map((title, i) => Math.max(title.length, ...lines.map((line) => line[i]!.length)));
  const format = (cells: string[]) =>
    cells.map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i]!))).join(' | ');
  return [format(header), widths.map((w) => '-'.repeat(w)).join('-|-'), ...lines.map(format)].join('\n');
}
