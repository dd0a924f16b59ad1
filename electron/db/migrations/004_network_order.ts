/**
 * Migration 4: `network_order`, the calls in time order (ts, id) by rank. Paging the unfiltered calls table at any
 * depth (and jumping to a time in it) is then a rowid range or a binary search over ranks instead of an OFFSET that
 * steps over every earlier index entry (2 M calls: tens of ms per page deep in the run). finalizeCase fills it after
 * the analysis (and again after a re-offset); a case from before this migration gets it empty and its queries fall
 * back to OFFSET (electron/queries/network-order.ts). `IF NOT EXISTS`: a case made at schema 5 before this migration
 * landed (numbers are reserved per engineer, so 5 could land first) has none; finalizeCase creates it then.
 */
export const sql = /* sql */ `
CREATE TABLE IF NOT EXISTS network_order (
  rank INTEGER PRIMARY KEY,          -- 1-based position of the call in (ts, id) order
  id   INTEGER NOT NULL,             -- network.id
  ts   INTEGER NOT NULL
);
`;
