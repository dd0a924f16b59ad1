/**
 * Whether the analyst has revealed secrets in a case (per case file, for the life of this process; masked again
 * at every start). Turning it on or off is an explicit action, recorded in the case's action log.
 */
import { recordAction } from './notes';

const revealed = new Set<string>();

export function secretsRevealed(casePath: string): boolean {
  return revealed.has(casePath);
}

export function setSecretsRevealed(casePath: string, on: boolean, where: string): { revealed: boolean } {
  if (on === revealed.has(casePath)) return { revealed: on };
  recordAction(casePath, on ? 'reveal-secrets' : 'hide-secrets', { where });
  if (on) revealed.add(casePath);
  else revealed.delete(casePath);
  return { revealed: on };
}

/**
 * Align this process with what the host knows, without recording anything: the case owner passes whether the
 * analyst revealed this case's secrets with every query (queries run in query processes that come and go).
 */
export function syncRevealed(casePath: string, on: boolean): void {
  if (on) revealed.add(casePath);
  else revealed.delete(casePath);
}
