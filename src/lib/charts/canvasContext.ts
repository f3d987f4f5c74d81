/**
 * A canvas's 2-D context, its pixels sized for `width` × `height` CSS px at the device's
 * pixel ratio (resized only when that changes), cleared, and scaled so that drawing is
 * in CSS px; null where there is no 2-D canvas (jsdom, which logs when asked for one;
 * browsers all have OffscreenCanvas). For the drawings a hover redraws (crosshair, tooltip).
 */
export function clearedContext(canvas: HTMLCanvasElement, width: number, height: number): CanvasRenderingContext2D | null {
  const ctx = 'OffscreenCanvas' in globalThis ? canvas.getContext('2d') : null;
  if (!ctx) return null;
  const dpr = globalThis.devicePixelRatio || 1;
  if (canvas.width !== Math.round(width * dpr) || canvas.height !== Math.round(height * dpr)) {
    canvas.width = Math.round(width * dpr);
    canvas.height = Math.round(height * dpr);
  }
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, width, height);
  return ctx;
}
