/** Latency samples in milliseconds; percentiles by sorting once at the end (a run holds tens of thousands). */
export class LatencyRecorder {
  private readonly samples: number[] = [];

  add(ms: number): void {
    this.samples.push(ms);
  }

  get count(): number {
    return this.samples.length;
  }

  /** Nearest-rank percentile (p in 0..100); NaN when empty. */
  summary(): { p50: number; p90: number; p99: number; max: number; count: number } {
    const sorted = Float64Array.from(this.samples).sort();
    const at = (p: number): number => (sorted.length === 0 ? Number.NaN : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]);
    return { p50: at(50), p90: at(90), p99: at(99), max: sorted.length ? sorted[sorted.length - 1] : Number.NaN, count: sorted.length };
  }
}

export function round(value: number, digits = 1): number {
  if (!Number.isFinite(value)) return value;
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
