/**
 * Containers with the host in reach: `docker run --privileged` (or `podman run`), or a bind mount of the host's
 * root (`-v /:/host`, `--volume=/:/x`, `--mount type=bind,source=/,…`).
 * Near misses that do NOT match: `--privileged=false`, `-v /home/runner/work:/src`, `docker build`.
 */
import { commandHits } from './command-match';
import type { DetectionRule } from './types';

const RUN = /\b(?:docker|podman|nerdctl)(?:\s+container)?\s+(?:run|create)\b/;
const PRIV = /(?:^|\s)--privileged(?:=true)?(?=\s|$)/;
const ROOT_MOUNT = /(?:^|\s)(?:-v|--volume)(?:\s+|=)["']?\/:/;
const ROOT_MOUNT2 = /(?:^|\s)--mount(?:\s+|=)["']?[^\s"']*\b(?:source|src)=\/(?:,|\s|$|["'])/;

export function privilegedReason(text: string): string | null {
  const m = RUN.exec(text);
  if (!m) return null;
  const rest = text.slice(m.index);
  if (PRIV.test(rest)) return 'privileged container (docker run --privileged)';
  if (ROOT_MOUNT.test(rest) || ROOT_MOUNT2.test(rest)) return "container with the host's root mounted";
  return null;
}

const NEEDLES = ['docker', 'podman', 'nerdctl'];

export const privilegedContainer: DetectionRule = {
  id: 'privileged-container',
  kind: 'privileged-container',
  severity: 'high',
  describe: 'docker run --privileged, or a mount of the host root into a container',
  logNeedles: NEEDLES,
  processNeedles: NEEDLES,
  run: (input) => commandHits(input, { needles: NEEDLES, test: privilegedReason }),
};
