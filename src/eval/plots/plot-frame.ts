/** The geometry of an SVG chart: the canvas, and the plot area inside its margins (pixels). */
export interface PlotFrame {
  W: number;
  H: number;
  left: number;
  top: number;
  /** Plot-area width, W − left − right. */
  pw: number;
  /** Plot-area height, H − top − bottom. */
  ph: number;
}

/** A W × H canvas with the given margins (the right one holds the legend). */
export function plotFrame(W: number, H: number, m: { left: number; right: number; top: number; bottom: number }): PlotFrame {
  return { W, H, left: m.left, top: m.top, pw: W - m.left - m.right, ph: H - m.top - m.bottom };
}
