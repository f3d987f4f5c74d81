/**
 * A chart's `<svg>` as a standalone SVG file that looks as on screen: computed styles
 * copied inline (so CSS classes are not needed), interactive-only parts dropped
 * (`data-export="skip"`: hit targets, crosshair), and nothing executable kept.
 */

/** Style properties copied from the screen rendering onto each exported element. */
const STYLE_PROPS = [
  'fill',
  'fill-opacity',
  'stroke',
  'stroke-width',
  'stroke-opacity',
  'stroke-dasharray',
  'stroke-linejoin',
  'opacity',
  'font-family',
  'font-size',
  'font-weight',
  'text-anchor',
  'dominant-baseline',
  'visibility',
] as const;

const SVG_NS = 'http://www.w3.org/2000/svg';

/** Copies the computed value of each style property of `from` onto `to`'s style attribute. */
function inlineStyles(from: Element, to: Element): void {
  const view = from.ownerDocument.defaultView;
  if (!view) return;
  const cs = view.getComputedStyle(from);
  const parts: string[] = [];
  for (const p of STYLE_PROPS) {
    const v = cs.getPropertyValue(p);
    if (v) parts.push(`${p}:${v}`);
  }
  const own = to.getAttribute('style');
  if (own) parts.push(own);
  if (parts.length) to.setAttribute('style', parts.join(';'));
}

/**
 * The SVG text of `svg` (an XML declaration, then the serialized clone). Removes
 * `<script>`, `<foreignObject>`, every `on…` attribute and `javascript:` links, and the
 * elements marked `data-export="skip"`; the on-screen element is not modified.
 */
export function serializeSvg(svg: SVGSVGElement): string {
  const clone = svg.cloneNode(true) as SVGSVGElement;
  const originals = [svg, ...svg.querySelectorAll('*')];
  const copies = [clone, ...clone.querySelectorAll('*')];
  for (let i = 0; i < copies.length; i++) inlineStyles(originals[i], copies[i]);
  for (const el of clone.querySelectorAll('script, foreignObject, [data-export="skip"]')) el.remove();
  for (const el of [clone, ...clone.querySelectorAll('*')]) {
    for (const attr of [...el.attributes]) {
      const name = attr.name.toLowerCase();
      const value = attr.value.trim().toLowerCase();
      if (name.startsWith('on')) el.removeAttribute(attr.name);
      else if ((name === 'href' || name === 'xlink:href') && value.startsWith('javascript:')) el.removeAttribute(attr.name);
    }
  }
  clone.setAttribute('xmlns', SVG_NS);
  clone.setAttribute('version', '1.1');
  return `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(clone)}`;
}
