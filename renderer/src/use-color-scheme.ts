/**
 * The light/dark colour scheme the page follows (prefers-color-scheme), as a React value: canvases read their
 * colours from the theme's CSS variables at draw time and list this in their draw effects' dependencies, so they
 * repaint when the system theme flips while the app is open.
 */
import { useEffect, useState } from 'react';

const QUERY = '(prefers-color-scheme: dark)';

export function useColorScheme(): 'light' | 'dark' {
  const [dark, setDark] = useState(() => typeof window !== 'undefined' && !!window.matchMedia?.(QUERY).matches);
  useEffect(() => {
    const mq = window.matchMedia?.(QUERY);
    if (!mq) return;
    const on = () => setDark(mq.matches);
    on();
    mq.addEventListener('change', on);
    return () => mq.removeEventListener('change', on);
  }, []);
  return dark ? 'dark' : 'light';
}
