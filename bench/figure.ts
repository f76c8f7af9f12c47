// One row of the benchmark table: a figure, the floor it is compared with (measured in the same
// run), their ratio and the goal. `met` is undefined when a figure has no goal or was not measured.

export interface FigureRow {
  id: string;
  title: string;
  unit: string;
  measured?: number;
  floor?: number;
  floorLabel: string;
  /** measured / floor, 2 decimals. */
  ratio?: number;
  goal: string;
  met?: boolean;
  note?: string;
}

export interface FigureResult {
  rows: FigureRow[];
  /** Raw numbers for bench/results/latest.json. */
  details: Record<string, unknown>;
}

export function notMeasured(id: string, title: string, goal: string, why: string): FigureResult {
  return {
    rows: [{ id, title, unit: '', floorLabel: '', goal, note: `not measured: ${why}` }],
    details: { notMeasured: why },
  };
}
