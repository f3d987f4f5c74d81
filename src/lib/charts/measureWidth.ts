/** An attachment that reports an element's width as it changes (once, where ResizeObserver is missing, e.g. jsdom). */
import type { Attachment } from 'svelte/attachments';

/**
 * Calls `onWidth` with the element's content width once it is laid out and on every
 * resize; cleans up on detach. The first width comes from the observer's first report,
 * after the browser's own layout: reading `clientWidth` here would force a layout per
 * panel while a run is being added.
 */
export function measureWidth(onWidth: (width: number) => void): Attachment<HTMLElement> {
  return (el) => {
    if (typeof ResizeObserver === 'undefined') {
      onWidth(el.clientWidth);
      return;
    }
    const ro = new ResizeObserver((entries) => onWidth(Math.floor(entries[0].contentRect.width)));
    ro.observe(el);
    return () => ro.disconnect();
  };
}
