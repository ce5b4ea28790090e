/** A point of a {@link Series}. */
export interface SeriesPoint {
  /** Mutator step. */
  readonly step: number;
  /** Largest value seen in the bucket ending at `step`. */
  readonly value: number;
}

/**
 * A bounded time series: values observed at increasing steps are kept as the maximum per bucket
 * of `interval` steps; when more than `limit` points pile up, pairs merge and the interval
 * doubles, so memory stays bounded however long the run and peaks are never lost.
 */
export class Series {
  private steps: number[] = [];
  private values: number[] = [];
  private interval: number;
  private bucketEnd: number;
  private bucketMax = Number.NEGATIVE_INFINITY;
  private lastStep = 0;

  /** Creates a series keeping at most `limit` points, starting with buckets of `interval` steps. */
  constructor(
    private readonly limit = 2048,
    interval = 1,
  ) {
    this.interval = interval;
    this.bucketEnd = interval;
  }

  /** Observes `value` at `step` (steps must not decrease). */
  observe(step: number, value: number): void {
    if (step >= this.bucketEnd) this.flush(step);
    if (value > this.bucketMax) this.bucketMax = value;
    this.lastStep = step;
  }

  private flush(step: number): void {
    if (this.bucketMax !== Number.NEGATIVE_INFINITY) {
      this.steps.push(this.lastStep);
      this.values.push(this.bucketMax);
      this.bucketMax = Number.NEGATIVE_INFINITY;
      if (this.steps.length > this.limit) this.halve();
    }
    this.bucketEnd = (Math.floor(step / this.interval) + 1) * this.interval;
  }

  private halve(): void {
    const steps: number[] = [];
    const values: number[] = [];
    for (let k = 0; k < this.steps.length; k += 2) {
      const j = Math.min(k + 1, this.steps.length - 1);
      steps.push(this.steps[j]);
      values.push(Math.max(this.values[k], this.values[j]));
    }
    this.steps = steps;
    this.values = values;
    this.interval *= 2;
  }

  /** The points so far, including the open bucket. */
  points(): SeriesPoint[] {
    const out = this.steps.map((step, k) => ({ step, value: this.values[k] }));
    if (this.bucketMax !== Number.NEGATIVE_INFINITY) out.push({ step: this.lastStep, value: this.bucketMax });
    return out;
  }
}
