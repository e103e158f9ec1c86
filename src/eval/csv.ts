/** CSV cells as RFC 4180 writes them: quoted when they hold a quote, comma or newline. */
export function csvCell(s: string): string {
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
