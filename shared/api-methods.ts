/**
 * The contract's method names alone, with no schema library behind them: what the Electron preload bridge needs to
 * allow-list calls without bundling the validators. `shared/api.ts` checks at compile time that this list and its
 * `methods` table name exactly the same methods.
 */
export const METHOD_NAMES = [
  'case.info',
  'case.reoffset',
  'steps.list',
  'findings.list',
  'network.query',
  'network.indexOf',
  'network.indexAt',
  'network.explain',
  'log.window',
  'log.indexAt',
  'log.indexOfId',
  'log.search',
  'log.outline',
  'log.filter',
  'log.match',
  'process.list',
  'dns.list',
  'files.list',
  'sql.query',
  'import.start',
  'import.status',
  'import.cancel',
  'process.get',
  'notes.list',
  'notes.add',
  'notes.update',
  'notes.delete',
  'actions.list',
  'actions.record',
  'secrets.reveal',
  'report.export',
  'process.calls',
  'process.tree',
  'raw.get',
  'timeline.density',
  'timeline.steps',
  'compare.run',
] as const;

export type MethodNameFromList = (typeof METHOD_NAMES)[number];
