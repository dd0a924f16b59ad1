/** pickImporter: content decides, the well-known bundle name breaks ties; unknown files get no importer. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { importers, normaliseScore, notRecognisedMessage, pickImporter } from '../../electron/import/registry';
import type { Importer } from '../../electron/import/types';
import { FIXTURE_BUNDLE, inputFile } from '../integration/import-helpers';

const fx = (rel: string) => fs.readFileSync(path.join(FIXTURE_BUNDLE, rel));

describe('pickImporter', () => {
  it('recognises every bundle file of the fixture by content', () => {
    const expected: Record<string, string> = {
      'manifest.json': 'bundle-manifest',
      'network.jsonl': 'bundle-network',
      'dns.jsonl': 'bundle-dns',
      'processes.jsonl': 'bundle-processes',
      'process-table.csv': 'bundle-process-table',
      'files.jsonl': 'bundle-files',
      'detections.json': 'bundle-detections',
      'logs/test/3_Run npm test.txt': 'gha-log',
    };
    for (const [rel, format] of Object.entries(expected)) {
      expect(pickImporter(inputFile(rel, fx(rel)))?.importer.format, rel).toBe(format);
      // Content decides: the same bytes under another name are still recognised.
      if (!rel.startsWith('logs/')) expect(pickImporter(inputFile(`renamed-${rel}.dat`, fx(rel)))?.importer.format, rel).toBe(format);
    }
  });

  it('the well-known name raises the score (tie-breaker) and lets a broken first line still be read', () => {
    const data = fx('network.jsonl');
    const named = pickImporter(inputFile('network.jsonl', data))!;
    const other = pickImporter(inputFile('calls.jsonl', data))!;
    expect(named.score).toBeGreaterThan(other.score);
    const broken = Buffer.concat([Buffer.from('{"ts": oops\n'), data]);
    expect(pickImporter(inputFile('network.jsonl', broken))?.importer.format).toBe('bundle-network');
    expect(pickImporter(inputFile('calls.jsonl', broken))).toBeNull();
    // An empty well-known file is still the bundle's (it loads nothing, quietly).
    expect(pickImporter(inputFile('dns.jsonl', ''))?.importer.format).toBe('bundle-dns');
  });

  it('does not take text that is no known format', () => {
    const f = inputFile('notes/README.md', '# notes\nnothing to see here\n');
    expect(pickImporter(f)).toBeNull();
    expect(notRecognisedMessage(f)).toBe('not recognised: /evidence/notes/README.md');
    expect(pickImporter(inputFile('blob.bin', Buffer.from([0, 1, 2, 3, 255, 0, 7])))).toBeNull();
  });

  it('ranks scores on one scale (percentages read as fractions) and survives a throwing sniff', () => {
    expect(normaliseScore(90)).toBe(0.9);
    expect(normaliseScore(0.95)).toBe(0.95);
    expect(normaliseScore(-1)).toBe(0);
    const boom: Importer = { format: 'boom', sniff: () => { throw new Error('bad sniff'); }, read: async () => {} };
    const pct: Importer = { format: 'pct', sniff: () => 50, read: async () => {} };
    const errors: string[] = [];
    const pick = pickImporter(inputFile('network.jsonl', fx('network.jsonl')), [boom, pct, ...importers], (imp) => errors.push(imp.format));
    expect(pick?.importer.format).toBe('bundle-network');
    expect(errors).toEqual(['boom']);
  });

  it('lists bundle importers, the GitHub log importer and the other formats', () => {
    const names = importers.map((i) => i.format);
    expect(names.slice(0, 7)).toEqual([
      'bundle-manifest',
      'bundle-network',
      'bundle-dns',
      'bundle-processes',
      'bundle-process-table',
      'bundle-files',
      'bundle-detections',
    ]);
    expect(names).toContain('gha-log');
    expect(new Set(names).size).toBe(names.length);
  });
});
