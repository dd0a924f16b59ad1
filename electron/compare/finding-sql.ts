/** The processes and steps behind a set of calls (param: JSON array of network ids), first seen first. */
export const FINDING_PROCESSES_OF_CALLS = `SELECT p.id, p.pid, p.exe, min(n.ts) AS first FROM network n JOIN processes p ON p.id = n.process_id
  WHERE n.id IN (SELECT value FROM json_each(?)) GROUP BY p.id ORDER BY first, p.id LIMIT 1000`;
export const FINDING_STEPS_OF_CALLS = `SELECT s.id, s.number, s.name, min(n.ts) AS first FROM network n JOIN steps s ON s.id = coalesce(n.step_id, n.running_step_id)
  WHERE n.id IN (SELECT value FROM json_each(?)) GROUP BY s.id ORDER BY s.job, s.number LIMIT 1000`;
