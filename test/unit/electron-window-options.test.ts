import { describe, expect, it } from 'vitest';
import { mainWindowOptions } from '../../electron/main/window-options';

describe('main window options', () => {
  const opts = mainWindowOptions({ preloadPath: '/app/dist/electron/preload.cjs', devTools: false, iconPath: '/app/resources/icons/icon.png' });
  const wp = opts.webPreferences!;

  it('keeps the renderer isolated and sandboxed', () => {
    expect(wp.contextIsolation).toBe(true);
    expect(wp.sandbox).toBe(true);
    expect(wp.nodeIntegration).toBe(false);
    expect(wp.nodeIntegrationInWorker).toBe(false);
    expect(wp.nodeIntegrationInSubFrames).toBe(false);
    expect(wp.webSecurity).toBe(true);
    expect(wp.allowRunningInsecureContent).toBe(false);
    expect(wp.webviewTag).toBe(false);
    expect(wp.experimentalFeatures).toBe(false);
    expect(wp.enableBlinkFeatures).toBe('');
  });

  it('never navigates on a dropped file and uses the given preload', () => {
    expect(wp.navigateOnDragDrop).toBe(false);
    expect(wp.preload).toBe('/app/dist/electron/preload.cjs');
  });

  it('shows the window only when ready, with the icon and a title', () => {
    expect(opts.show).toBe(false);
    expect(opts.title).toBe('Runlens');
    expect(opts.icon).toBe('/app/resources/icons/icon.png');
  });

  it('turns developer tools on only when asked and changes nothing else', () => {
    const dev = mainWindowOptions({ preloadPath: '/p.cjs', devTools: true });
    expect(dev.webPreferences!.devTools).toBe(true);
    expect(wp.devTools).toBe(false);
    const { devTools: _a, preload: _b, ...devRest } = dev.webPreferences!;
    const { devTools: _c, preload: _d, ...prodRest } = wp;
    expect(devRest).toEqual(prodRest);
    expect('icon' in dev).toBe(false);
  });
});
