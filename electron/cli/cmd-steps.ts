/** `runlens steps <case|bundle> [--json]` */
import { listSteps } from '../queries/index';
import { parseArgs } from './args';
import { openCaseOrBundle } from './case-arg';
import { UsageError } from './errors';
import { showHelp, writeJson, writeText } from './output';
import { renderTable } from './table';

export const STEPS_HELP = `Usage: runlens steps <case|bundle> [--json]

List the job's steps: number, name, action (uses), start and end (UTC, ns), number of log lines.
A bundle is imported into the default case location first (or its existing case is used).
`;

export async function stepsCommand(argv: string[]): Promise<number> {
  const a = parseArgs(argv, { json: {}, help: {} }, 'steps');
  if (a.has('help')) return showHelp(STEPS_HELP);
  if (a.positionals.length !== 1) throw new UsageError('steps: give exactly one case file or bundle');
  const db = await openCaseOrBundle(a.positionals[0]!, a.has('json'));
  try {
    const { steps } = listSteps(db);
    if (a.has('json')) {
      writeJson({ steps });
      return 0;
    }
    const multiJob = new Set(steps.map((s) => s.job)).size > 1;
    writeText(
      steps.length === 0
        ? 'No steps in this case.'
        : renderTable(steps, [
            ...(multiJob ? [{ header: 'job', get: (s: (typeof steps)[number]) => s.job }] : []),
            { header: '#', get: (s) => s.number, right: true },
            { header: 'name', get: (s) => s.name },
            { header: 'uses', get: (s) => s.uses },
            { header: 'started', get: (s) => s.started_at },
            { header: 'completed', get: (s) => s.completed_at },
            { header: 'result', get: (s) => s.conclusion },
            { header: 'log lines', get: (s) => s.log_lines, right: true },
          ]),
    );
    return 0;
  } finally {
    db.close();
  }
}
