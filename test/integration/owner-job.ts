/** Case owner tests: wait for an import job to reach a state (polling its status: the job's own signal), and call. */
import type { CaseOwner } from '../../electron/api/case-owner';
import type { Envelope, ImportStatus } from '../../shared/api';

export async function until(owner: CaseOwner, job: string, ok: (s: ImportStatus) => boolean): Promise<ImportStatus> {
  for (let i = 0; i < 6000; i++) {
    const s = owner.status(job);
    if (ok(s)) return s;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`job ${job} never got there: ${JSON.stringify(owner.status(job))}`);
}

export async function call<T>(owner: CaseOwner, caseId: string | null, method: string, params: unknown = {}): Promise<Envelope<T>> {
  return (await owner.call({ case: caseId, method, params })) as Envelope<T>;
}
