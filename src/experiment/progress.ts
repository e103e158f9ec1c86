/**
 * One status line for the whole plan on stderr: stage, step, elapsed time and an estimate of the
 * time left (each remaining step costs what finished steps of its kind cost on average, or the
 * plan's prior until one has finished). On a terminal the line is redrawn in place; otherwise
 * (CI, a pipe) one line is printed per finished step.
 */
export interface PlannedStep {
  kind: string;
  label: string;
  /** Prior cost in seconds, used until a step of this kind has been timed. */
  estimate: number;
}

const clock = (s: number) => {
  const t = Math.max(0, Math.round(s));
  return `${Math.floor(t / 3600)}:${String(Math.floor((t % 3600) / 60)).padStart(2, '0')}:${String(t % 60).padStart(2, '0')}`;
};

export class PlanProgress {
  private readonly started = Date.now();
  private readonly spent = new Map<string, { seconds: number; count: number }>();
  private done = 0;
  private readonly tty: boolean;

  constructor(
    private readonly steps: readonly PlannedStep[],
    private readonly stream: NodeJS.WriteStream = process.stderr,
    private readonly enabled = true,
  ) {
    this.tty = Boolean(stream.isTTY);
  }

  private remaining(): number {
    let s = 0;
    for (const step of this.steps.slice(this.done)) {
      const seen = this.spent.get(step.kind);
      s += seen && seen.count > 0 ? seen.seconds / seen.count : step.estimate;
    }
    return s;
  }

  private line(stage: string, label: string): string {
    const elapsed = (Date.now() - this.started) / 1000;
    return `[${this.done}/${this.steps.length}] ${stage}: ${label} · ${clock(elapsed)} elapsed · ~${clock(this.remaining())} left`;
  }

  /** Shows the step that is starting (terminal only). */
  start(stage: string, label: string): void {
    if (this.enabled && this.tty) this.stream.write(`\r\x1b[K${this.line(stage, label)}`);
  }

  /** Records a finished step; `cached` steps do not count towards the cost estimates. */
  finish(stage: string, label: string, seconds: number, cached: boolean): void {
    this.done++;
    if (!cached) {
      const step = this.steps[this.done - 1];
      const kind = step?.kind ?? stage;
      const s = this.spent.get(kind) ?? { seconds: 0, count: 0 };
      this.spent.set(kind, { seconds: s.seconds + seconds, count: s.count + 1 });
    }
    if (!this.enabled) return;
    const suffix = cached ? ' (cached)' : ` (${seconds.toFixed(1)} s)`;
    if (this.tty) this.stream.write(`\r\x1b[K${this.line(stage, label + suffix)}`);
    else this.stream.write(`${this.line(stage, label + suffix)}\n`);
  }

  close(): void {
    if (this.enabled && this.tty) this.stream.write('\n');
  }
}
