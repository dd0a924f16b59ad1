/** `runlens verify <case> [--base DIR] [--json]`: exit 0 only when every input is unchanged. */
import { verifyCase } from '../report/verify';
import { parseArgs } from './args';
import { mustExist, openCase } from './case-arg';
import { escapeText } from './escape';
import { UsageError } from './errors';
import { showHelp, writeJson, writeText } from './output';
import { renderTable } from './table';

export const VERIFY_HELP = `Usage: runlens verify <case> [--base DIR] [--json]

Hash the case's inputs again and compare with the hashes recorded at import: each input is unchanged, missing
or different (for a folder, the files that differ, went missing or were added are named). Exit 0 only when every
input is unchanged; 1 otherwise.
  --base DIR   resolve input paths recorded relative (as they were given to import) against DIR (default: here)
`;

export async function verifyCommand(argv: string[]): Promise<number> {
  const a = parseArgs(argv, { base: { value: true }, json: {}, help: {} }, 'verify');
  if (a.has('help')) return showHelp(VERIFY_HELP);
  if (a.positionals.length !== 1) throw new UsageError('verify: give exactly one case file');
  mustExist(a.positionals[0]!);
  const db = openCase(a.positionals[0]!);
  let results;
  try {
    results = await verifyCase(db, a.get('base'));
  } finally {
    db.close();
  }
  const ok = results.length > 0 && results.every((r) => r.state === 'unchanged');
  if (a.has('json')) {
    writeJson({ ok, inputs: results });
  } else {
    const out = [
      renderTable(results, [
        { header: 'state', get: (r) => r.state },
        { header: 'input', get: (r) => r.path },
        { header: 'recorded sha256', get: (r) => r.recorded.sha256 },
        { header: 'sha256 now', get: (r) => r.now?.sha256 ?? '-' },
      ]),
    ];
    for (const r of results) for (const f of r.files) out.push(escapeText(`  ${f.state}: ${r.path}/${f.member}`));
    out.push(results.length === 0 ? 'The case records no inputs.' : ok ? 'All inputs unchanged.' : 'Some inputs are missing or different.');
    writeText(out.join('\n'));
  }
  return ok ? 0 : 1;
}
