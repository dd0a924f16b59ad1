/**
 * A case's id: 24 hex digits of the SHA-256 of its absolute path. Calls and page URLs name a case by it (never by a
 * path, which the page must not choose); the same file has the same id in every process, so a bookmarked URL finds
 * its case again through the recent cases list after a restart.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';

export function caseIdOf(casePath: string): string {
  return createHash('sha256').update(path.resolve(casePath)).digest('hex').slice(0, 24);
}
