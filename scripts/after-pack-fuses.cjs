// electron-builder `afterPack` hook (electron-builder.yml): flips the Electron fuses of the packaged binary with
// @electron/fuses, before signing. Each fuse closes a way to run other code inside Runlens (issue 11 #10):
// - RunAsNode off: `ELECTRON_RUN_AS_NODE=1 Runlens script.js` would run any script as Node with the app's identity;
// - NODE_OPTIONS off: `--require` of any module at start;
// - inspect arguments off: `--inspect` would let any local process drive the main process;
// - embedded asar integrity on + only-load-from-asar on: the app's code is the signed app.asar, not a folder put
//   beside it; (macOS and Windows check the integrity; electron-builder embeds the hash);
// - file protocol extra privileges off (the app uses its own scheme), cookie encryption on.
// CommonJS (.cjs): electron-builder requires the hook. test/unit/electron-fuses.test.ts checks this configuration
// and flips a synthetic fuse wire with the real library (no Electron binary can be downloaded in CI).
'use strict';
/* global require, module */
/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS hook */
const path = require('node:path');
const { flipFuses, FuseV1Options, FuseVersion } = require('@electron/fuses');

/** The fuses, all set explicitly (strictlyRequireAllFuses: a new fuse in a future Electron fails the build). */
function fuseConfig(arch) {
  return {
    version: FuseVersion.V1,
    strictlyRequireAllFuses: true,
    // An ad-hoc signature must be renewed after the binary changed (Apple silicon refuses to run it otherwise).
    resetAdHocDarwinSignature: arch === 'arm64',
    [FuseV1Options.RunAsNode]: false,
    [FuseV1Options.EnableCookieEncryption]: true,
    [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
    [FuseV1Options.EnableNodeCliInspectArguments]: false,
    [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
    [FuseV1Options.OnlyLoadAppFromAsar]: true,
    [FuseV1Options.LoadBrowserProcessSpecificV8Snapshot]: false,
    [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
  };
}

/** The packaged Electron executable (or .app) electron-builder just wrote. */
function electronBinary(context) {
  const name = context.packager.appInfo.productFilename;
  switch (context.electronPlatformName) {
    case 'darwin':
    case 'mas':
      return path.join(context.appOutDir, `${name}.app`);
    case 'win32':
      return path.join(context.appOutDir, `${name}.exe`);
    default:
      return path.join(context.appOutDir, context.packager.executableName);
  }
}

/** electron-builder's arch enum (0 ia32, 1 x64, 2 armv7l, 3 arm64, 4 universal) as a name. */
function archName(arch) {
  return typeof arch === 'string' ? arch : ['ia32', 'x64', 'armv7l', 'arm64', 'universal'][arch] ?? String(arch);
}

async function afterPack(context) {
  await flipFuses(electronBinary(context), fuseConfig(archName(context.arch)));
}

module.exports = afterPack;
module.exports.default = afterPack;
module.exports.fuseConfig = fuseConfig;
module.exports.electronBinary = electronBinary;
