/**
 * Migration 5 (findings): local detections. A finding may name the rule that raised it (`rule`: a built-in rule's
 * id, or `user:<id>` / `ioc:<kind>` from a rules file given at import), the process and step it is about, and
 * its evidence rows in `finding_evidence` (any evidence table; the viewer's endpoint findings keep using
 * `network.finding_id`). Nothing here changes an imported row.
 */
export const sql = /* sql */ `
ALTER TABLE findings ADD COLUMN rule TEXT;
ALTER TABLE findings ADD COLUMN process_id INTEGER REFERENCES processes(id);
ALTER TABLE findings ADD COLUMN step_id INTEGER REFERENCES steps(id);
CREATE TABLE finding_evidence (
  finding_id INTEGER NOT NULL REFERENCES findings(id),
  tbl        TEXT NOT NULL,     -- network | processes | log_lines | file_events | dns | detections
  row_id     INTEGER NOT NULL,
  PRIMARY KEY (finding_id, tbl, row_id)
);
CREATE INDEX finding_evidence_row ON finding_evidence(tbl, row_id);
`;
