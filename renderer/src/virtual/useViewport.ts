/** Scroll position and height of a scrolling element, kept in React state (scroll events + ResizeObserver). */
import { useEffect, useState, type RefObject } from 'react';

/** `guess`: the height to assume before the element is measured (a first render that already has rows to show). */
export function useViewport(ref: RefObject<HTMLElement | null>, guess = 0): { scrollTop: number; height: number } {
  const [vp, setVp] = useState(() => ({ scrollTop: 0, height: guess }));
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    let raf = 0;
    const read = () => {
      raf = 0;
      setVp((v) =>
        v.scrollTop === el.scrollTop && v.height === el.clientHeight
          ? v
          : { scrollTop: el.scrollTop, height: el.clientHeight },
      );
    };
    const onScroll = () => {
      if (!raf) raf = requestAnimationFrame(read);
    };
    read();
    el.addEventListener('scroll', onScroll, { passive: true });
    const ro = new ResizeObserver(read);
    ro.observe(el);
    return () => {
      el.removeEventListener('scroll', onScroll);
      ro.disconnect();
      if (raf) cancelAnimationFrame(raf);
    };
  }, [ref]);
  return vp;
}
