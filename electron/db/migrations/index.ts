/** The numbered migrations, in order. `user_version` holds the number of the last one applied. */
import { sql as m001 } from './001_init';
import { sql as m002 } from './002_indexes';
import { sql as m003 } from './003_accounting';
import { sql as m004 } from './004_network_order';
import { sql as m005 } from './005_detections';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: 'init', sql: m001 },
  { version: 2, name: 'indexes', sql: m002 },
  { version: 3, name: 'accounting', sql: m003 },
  { version: 4, name: 'network order', sql: m004 },
  { version: 5, name: 'detections', sql: m005 },
];

export const LATEST_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;
