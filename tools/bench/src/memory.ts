/** Resident-set sampling: the peak RSS seen at sample points, and the process's lifetime peak. */

export class RssSampler {
  peakBytes = 0;

  /** Record the current RSS. */
  sample(): void {
    this.peakBytes = Math.max(this.peakBytes, process.memoryUsage.rss());
  }
}

/** Peak resident set of the whole process so far, in bytes (`getrusage` maxrss). */
export function processMaxRssBytes(): number {
  return process.resourceUsage().maxRSS * 1024;
}
