/**
 * Download-and-run: a script fetched from the network or decoded from base64 and piped straight into a shell —
 * `curl … | sh`, `wget -qO- … | sudo bash`, `echo … | base64 -d | sh`. Piping a download into a shell is common
 * in install instructions, so it is `medium`; running decoded base64 hides what runs, so it is `high`.
 * Near misses that do NOT match: `curl -o x.sh URL`, `curl URL | jq`, `base64 -d file > out`.
 */
import { commandHits } from './command-match';
import type { DetectionRule } from './types';

const SHELL = String.raw`\|\s*(?:sudo\s+(?:-\S+\s+)*)?(?:/usr)?(?:/bin/)?(?:ba|z|da|k)?sh\b(?!\S)`;
const FETCH_PIPE = new RegExp(String.raw`\b(?:curl|wget)\b[^|;&\n]*` + SHELL);
const B64_PIPE = new RegExp(String.raw`\bbase64\s+(?:-\w+\s+)*(?:-d|--decode|-D)\b[^|;&\n]*` + SHELL);
const B64_SUBST = /\b(?:ba|z)?sh\s+-c\s+["']?\$\(\s*echo\s+\S+\s*\|\s*base64\s+(?:-d|--decode)/;

export function downloadAndRunReason(text: string): string | null {
  if (B64_PIPE.test(text) || B64_SUBST.test(text)) return 'base64-decoded script run by a shell';
  if (FETCH_PIPE.test(text)) return 'download piped into a shell';
  return null;
}

const NEEDLES = ['curl', 'wget', 'base64'];

export const downloadAndRun: DetectionRule = {
  id: 'download-and-run',
  kind: 'download-and-run',
  severity: 'medium',
  describe: 'download-and-run: curl … | sh, wget … | bash, base64 -d | sh',
  logNeedles: NEEDLES,
  processNeedles: NEEDLES,
  run: (input) =>
    commandHits(input, {
      needles: NEEDLES,
      test: downloadAndRunReason,
      severity: (why) => (why.startsWith('base64') ? 'high' : undefined),
    }),
};
