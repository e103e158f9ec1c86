/**
 * A progress line on stderr for long encodes: on a terminal, one line redrawn at most every 200 ms
 * (`encoding images [#########...............]  38%  1,900/5,000  12.3 s`); elsewhere (a log, a
 * pipe) one line when the work is done, so logs do not fill with carriage returns.
 */
export function progressLine(label: string, enabled = true): (done: number, total: number) => void {
  const tty = process.stderr.isTTY === true;
  const start = performance.now();
  let last = 0;
  return (done, total) => {
    if (!enabled) return;
    const now = performance.now();
    const end = done >= total;
    if (!end && now - last < 200) return;
    last = now;
    const seconds = `${((now - start) / 1000).toFixed(1)} s`;
    const count = `${done.toLocaleString('en')}/${total.toLocaleString('en')}`;
    if (!tty) {
      if (end) process.stderr.write(`${label}: ${count} in ${seconds}\n`);
      return;
    }
    const width = 24;
    const filled = total === 0 ? width : Math.round((width * done) / total);
    const pct = total === 0 ? 100 : (100 * done) / total;
    process.stderr.write(`\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${pct.toFixed(0).padStart(3)}%  ${count}  ${seconds}\x1b[K${end ? '\n' : ''}`);
  };
}
