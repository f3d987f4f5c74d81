/** An attachment that reports an element's width as it changes (once, where ResizeObserver is missing, e.g. jsdom). */
import type { Attachment } from 'svelte/attachments';

/** Calls `onWidth` with the element's content width now and on every resize; cleans up on detach. */
export function measureWidth(onWidth: (width: number) => void): Attachment<HTMLElement> {
  return (el) => {
    onWidth(el.clientWidth);
    if (typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver((entries) => onWidth(Math.floor(entries[0].contentRect.width)));
    ro.observe(el);
    return () => ro.disconnect();
  };
}
