// Time-left estimates for an initial sync from the progress seen while polling.
// The rate is measured over the samples of the last few minutes, so a slow start does not skew it forever.

const WINDOW_MS = 3 * 60 * 1000;

export class Eta {
  constructor() {
    this.samples = new Map();
  }

  // Seconds left for `kind`, or null while there is not enough to go on.
  observe(kind, done, total, now = Date.now()) {
    const seen = (this.samples.get(kind) || []).filter(
      (sample) => now - sample.at <= WINDOW_MS && sample.done <= done,
    );
    seen.push({ at: now, done });
    this.samples.set(kind, seen);
    const first = seen[0];
    const elapsed = (now - first.at) / 1000;
    const gained = done - first.done;
    if (total <= 0 || elapsed < 1 || gained <= 0) return null;
    return Math.max(0, (total - done) / (gained / elapsed));
  }

  forget(kind) {
    this.samples.delete(kind);
  }
}
