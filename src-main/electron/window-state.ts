/**
 * Remembers the main window's size, position and maximized state in a small JSON file in
 * the user's data folder. What is read back is validated (the file is the user's to break)
 * and fitted onto a display that exists now (a monitor may have been unplugged).
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

export interface Bounds {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface WindowState {
  /** Absent: let the system place the window (centred). */
  x?: number;
  y?: number;
  width: number;
  height: number;
  maximized: boolean;
}

export const DEFAULT_WINDOW_STATE: WindowState = { width: 1280, height: 800, maximized: false };
export const MIN_WINDOW_SIZE = { width: 900, height: 560 } as const;
export const WINDOW_STATE_FILE = 'window-state.json';

const coordinate = z.number().int().min(-100_000).max(100_000);
const size = z.number().int().min(1).max(100_000);

const windowStateSchema = z.object({
  version: z.literal(1),
  x: coordinate.optional(),
  y: coordinate.optional(),
  width: size,
  height: size,
  maximized: z.boolean(),
});

/** The saved state, or null when it is missing or not a state this version wrote. */
export function parseWindowState(raw: unknown): WindowState | null {
  const parsed = windowStateSchema.safeParse(raw);
  if (!parsed.success) return null;
  const { x, y, width, height, maximized } = parsed.data;
  // A position needs both coordinates.
  return x !== undefined && y !== undefined ? { x, y, width, height, maximized } : { width, height, maximized };
}

/**
 * Fits a saved state onto the displays (their work areas) that exist now: the size is capped
 * to the display, a position is slid fully onto the display the window overlaps most, and a
 * position that overlaps no display at all is dropped (the window is centred).
 */
export function fitToDisplays(state: WindowState, workAreas: readonly Bounds[]): WindowState {
  const primary = workAreas[0];
  if (primary === undefined) return state;
  const { x, y, maximized } = state;
  const area = x === undefined || y === undefined ? null : displayOverlappedMost({ x, y, width: state.width, height: state.height }, workAreas);
  if (x === undefined || y === undefined || area === null) return { ...clampSize(state, primary), maximized };
  const size = clampSize(state, area);
  return {
    ...size,
    x: clamp(x, area.x, area.x + area.width - size.width),
    y: clamp(y, area.y, area.y + area.height - size.height),
    maximized,
  };
}

export function readWindowState(directory: string): WindowState | null {
  try {
    const text = fs.readFileSync(path.join(directory, WINDOW_STATE_FILE), 'utf8');
    if (text.length > 10_000) return null;
    return parseWindowState(JSON.parse(text));
  } catch {
    // Missing or corrupt: start with the defaults (the next save replaces the file).
    return null;
  }
}

/** Written synchronously (it runs while the window closes) and atomically (temp + rename). */
export function writeWindowState(directory: string, state: WindowState): void {
  const file = path.join(directory, WINDOW_STATE_FILE);
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    fs.mkdirSync(directory, { recursive: true });
    fs.writeFileSync(temporary, `${JSON.stringify({ version: 1, ...state })}\n`, { mode: 0o600 });
    fs.renameSync(temporary, file);
  } catch (error) {
    // Losing the window position is not worth an error dialog.
    console.warn(`tunnelscope: could not save the window position: ${error instanceof Error ? error.message : String(error)}`);
    fs.rmSync(temporary, { force: true });
  }
}

function clampSize(state: WindowState, area: Bounds): { width: number; height: number } {
  return {
    width: clamp(state.width, Math.min(MIN_WINDOW_SIZE.width, area.width), area.width),
    height: clamp(state.height, Math.min(MIN_WINDOW_SIZE.height, area.height), area.height),
  };
}

function displayOverlappedMost(bounds: Bounds, areas: readonly Bounds[]): Bounds | null {
  let best: Bounds | null = null;
  let bestOverlap = 0;
  for (const area of areas) {
    const overlap = overlapArea(bounds, area);
    if (overlap > bestOverlap) {
      best = area;
      bestOverlap = overlap;
    }
  }
  return best;
}

function overlapArea(a: Bounds, b: Bounds): number {
  const width = Math.max(0, Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x));
  const height = Math.max(0, Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y));
  return width * height;
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(Math.max(value, min), Math.max(min, max));
}
