/**
 * Which better-sqlite3 native build this process loads (Electron's ABI vs Node's): RUNLENS_SQLITE_BINDING=/path.
 * Development only: a packaged app deletes the variable at start (electron/main/sqlite-binding.ts), since in the
 * field it would let whoever sets the environment load any native module into the app.
 */
export function nativeBinding(): string | undefined {
  return process.env.RUNLENS_SQLITE_BINDING || undefined;
}
