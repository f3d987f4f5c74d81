/**
 * Number formatting for display. Gradient statistics span many orders of magnitude
 * (1e-10 … 1e3), so values switch to exponent form outside [1e-3, 1e5).
 */
import { format } from 'd3-format';

const fixed = format('.4~r');
const exponent = format('.3~e');
const tickFixed = format('~g');
const tickExponent = format('.1~e');

/**
 * A statistic's value for tables and tooltips; NaN → "–", ±Infinity → "∞"/"−∞".
 * Example: `formatValue(0.012345678)` → `"0.01235"`, `formatValue(1.2e-7)` → `"1.2e-7"`.
 */
export function formatValue(x: number): string {
  if (Number.isNaN(x)) return '–';
  if (x === Infinity) return '∞';
  if (x === -Infinity) return '−∞';
  if (x === 0) return '0';
  const a = Math.abs(x);
  return a >= 1e-3 && a < 1e5 ? fixed(x) : exponent(x);
}

/**
 * A short axis tick label. Example: `formatTick(2000)` → `"2000"`, `formatTick(1e-6)` → `"1e-6"`.
 */
export function formatTick(x: number): string {
  if (!Number.isFinite(x)) return '';
  const a = Math.abs(x);
  if (x === 0 || (a >= 1e-3 && a < 1e5)) return tickFixed(x);
  return tickExponent(x);
}

/** A percentage with one decimal. Example: `formatPercent(0.1234)` → `"12.3%"`. */
export function formatPercent(x: number): string {
  return Number.isFinite(x) ? `${(x * 100).toFixed(1)}%` : '–';
}
