/** The named read queries (CLI and API alike). Each takes a read-only `Db` and returns a contract shape. */
export { caseInfo } from './case-info';
export { listSteps } from './steps';
export { listFindings, NO_POLICY_NOTE } from './findings';
export { explainCall, CallExplainer, DEFAULT_LIMIT, DEFAULT_WINDOW_SECONDS, type ExplainOptions } from './explain-call';
export { explainEndpoint, type EndpointExplanation } from './explain-endpoint';
export { processDetails } from './process-details';
export { rawRecord, RAW_TABLES, type RawTable } from './raw-record';
export { QueryError } from './values';
