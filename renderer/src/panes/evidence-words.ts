/**
 * Saying exactly what the evidence says, in the same words everywhere: what the agent recorded (let through or
 * blocked) is one fact, whether the policy allows the endpoint is another; a domain named by a DNS answer for the
 * IP is derived, not recorded.
 */
import type { Verdict } from '../../../shared/api';

/** What the capture recorded happening to the connection. */
export function recordedText(status: string): string {
  if (status === 'blocked') return 'blocked by the agent';
  if (status === 'allowed') return 'not blocked (the agent let it through)';
  return status;
}

/** The policy's view, phrased so it never reads as a contradiction of the recorded status. */
export function policyText(verdict: Verdict, status: string): string {
  switch (verdict) {
    case 'allowed':
      return 'inside the allow-list';
    case 'outside-policy':
      return status === 'blocked'
        ? 'outside the allow-list (and blocked)'
        : 'outside the allow-list, but not enforced (audit): the call went through';
    case 'blocked':
      return 'blocked';
    case 'no-policy':
      return 'no policy given: nothing to compare with';
  }
}

/** Short badge text for a verdict. */
export function verdictBadge(verdict: Verdict): { text: string; cls: string } {
  switch (verdict) {
    case 'allowed':
      return { text: 'in policy', cls: 'ok' };
    case 'outside-policy':
      return { text: 'outside policy', cls: 'bad' };
    case 'blocked':
      return { text: 'blocked', cls: 'bad' };
    case 'no-policy':
      return { text: 'no policy', cls: '' };
  }
}

export const isDerived = (origin: string | null | undefined): boolean => origin === 'dns';
