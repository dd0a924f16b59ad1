/** The timeline's rows, top to bottom: where each is drawn (CSS px) and what it shows. */
import type { TimelineSeries } from '../../../../shared/api';

export interface Lane {
  key: 'axis' | 'steps' | 'network' | 'findings' | 'processes' | 'files' | 'logs';
  label: string;
  top: number;
  height: number;
  /** Density series drawn in this lane (processes: exec up, exit down). */
  series: TimelineSeries[];
}

/** Width of the label column on the left; the time area starts after it. */
export const GUTTER = 84;

const ROWS: [Lane['key'], string, number, TimelineSeries[]][] = [
  // compact: the whole timeline stays under 170 px so a 720 px screen keeps room for the table and the log
  ['axis', '', 18, []],
  ['steps', 'Steps', 22, []],
  ['network', 'Network', 26, ['network']],
  ['findings', 'Findings', 16, ['findings']],
  ['processes', 'Processes', 20, ['exec', 'exit']],
  ['files', 'Files', 13, ['files']],
  ['logs', 'Log lines', 16, ['logs']],
];

export const LANES: Lane[] = (() => {
  let top = 0;
  return ROWS.map(([key, label, height, series]) => {
    const lane = { key, label, top, height, series };
    top += height;
    return lane;
  });
})();

export const LANES_HEIGHT = LANES.reduce((h, l) => h + l.height, 0);

export function lane(key: Lane['key']): Lane {
  return LANES.find((l) => l.key === key)!;
}

/** Every series the main view fetches. */
export const MAIN_SERIES: TimelineSeries[] = LANES.flatMap((l) => l.series);
/** The overview strip shows activity only: calls, findings, log lines. */
export const OVERVIEW_SERIES: TimelineSeries[] = ['network', 'findings', 'logs'];

/** Canvas colours, from the app's theme variables (styles.css; light and dark), with light fallbacks. */
export interface Palette {
  grid: string;
  axisText: string;
  laneText: string;
  laneBg: string;
  laneBgAlt: string;
  network: string;
  findings: string;
  exec: string;
  exit: string;
  files: string;
  logs: string;
  cursor: string;
  selected: string;
  hover: string;
  processCalls: string;
  tagText: string;
  /** Calls matching the table's filter (marks along the Network lane). */
  hits: string;
}

const FALLBACK: Palette = {
  grid: '#d9dde3',
  axisText: '#6a727d',
  laneText: '#1d2127',
  laneBg: '#ffffff',
  laneBgAlt: '#f6f7f9',
  network: '#2463d1',
  findings: '#c4302b',
  exec: '#1a7f37',
  exit: '#6a727d',
  files: '#6f42c1',
  logs: '#6a727d',
  cursor: '#f5b400',
  selected: '#1d2127',
  hover: '#6a727d',
  processCalls: '#6f42c1',
  tagText: '#ffffff',
  hits: '#c2255c',
};

const VARS: Partial<Record<keyof Palette, string>> = {
  grid: '--line',
  axisText: '--dim',
  laneText: '--text',
  laneBg: '--pane',
  laneBgAlt: '--bg',
  network: '--accent',
  findings: '--bad',
  exec: '--ok',
  exit: '--dim',
  files: '--run',
  logs: '--dim',
  cursor: '--cursor',
  selected: '--text',
  hover: '--dim',
  processCalls: '--run',
  tagText: '--pane',
  hits: '--hit',
};

export function readPalette(el: Element): Palette {
  const cs = getComputedStyle(el);
  const out = { ...FALLBACK };
  for (const [k, v] of Object.entries(VARS) as [keyof Palette, string][]) {
    const val = cs.getPropertyValue(v).trim();
    if (val) out[k] = val;
  }
  return out;
}
