/**
 * Recognition by content: every fixture is claimed by its own importer (highest sniff among the format importers)
 * whatever its file name, and files that are none of these formats (the cgroup listing, GitHub job logs, bundle
 * files) are claimed by none of them.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatImporters } from '../../electron/import/formats/index';
import { fixture, inputFromBytes } from './formats-harness';

const cases: [string, string][] = [
  ['harden-runner/agent.log', 'harden-runner-agent-log'],
  ['harden-runner/step-security-agent_agent.json', 'harden-runner-config'],
  ['harden-runner/step-security-agent_agent-allowed-endpoints.json', 'harden-runner-config'],
  ['harden-runner/step-security-agent_agent-disable-sudo.json', 'harden-runner-config'],
  ['harden-runner/step-security-agent_agent-private-repo.json', 'harden-runner-config'],
  ['tetragon/book_nc_process_exec.json', 'tetragon'],
  ['tetragon/book_nc_process_connect.json', 'tetragon'],
  ['tetragon/book_nc_process_close.json', 'tetragon'],
  ['tetragon/book_nc_process_exit.json', 'tetragon'],
  ['tetragon/book_cat_process_kprobe.json', 'tetragon'],
  ['tetragon/ci-events.jsonl', 'tetragon'],
  ['falco/elastic-integrations_test-nopreserve.log', 'falco'],
  ['tracee/EXTRACTED_forensics_legacy-trace-event.jsonl', 'tracee'],
  ['tracee/current-events.jsonl', 'tracee'],
  ['auditd/go-libaudit_testdata_normal.log', 'auditd'],
  ['auditd/go-libaudit_testdata_out_of_order.log', 'auditd'],
  ['auditd/enriched.log', 'auditd'],
  ['strace/demurgos-git2-segfault_strace.log', 'strace'],
  ['strace/ci-f-ttt.log', 'strace'],
  ['strace/ci-stderr-tt.log', 'strace'],
  ['strace/ci-t.log', 'strace'],
  ['bullfrog/connections.log', 'bullfrog'],
  ['process-table/ps-lstart.txt', 'process-table'],
  ['process-table/agent-export.csv', 'process-table'],
  ['process-table/agent-export.jsonl', 'process-table'],
];

function best(name: string, data: Buffer): { format: string | null; score: number } {
  const file = inputFromBytes(name, data);
  let top: { format: string | null; score: number } = { format: null, score: 0 };
  for (const imp of formatImporters) {
    const s = imp.sniff(file);
    if (s > top.score) top = { format: imp.format, score: s };
  }
  return top;
}

describe('format recognition by content', () => {
  it.each(cases)('%s is %s, under any file name', (rel, format) => {
    const data = readFileSync(fixture(...rel.split('/')));
    expect(best(rel, data).format).toBe(format);
    expect(best('evidence.bin', data).format).toBe(format);
  });

  it('claims none of: the cgroup listing, GitHub job logs, bundle files, empty and binary files', () => {
    const others: [string, Buffer][] = [
      ['cgroup-docker.txt', readFileSync(fixture('harden-runner', 'step-security-agent_cgroup-docker.txt'))],
      ['job.txt', readFileSync('test/fixtures/gha/blastradius_agno-agi__agno__job97433407085__log.txt')],
      ['job2.txt', readFileSync('test/fixtures/gha/blastradius_Stirling-Tools__Stirling-PDF__077856960467.txt')],
      ['network.jsonl', Buffer.from('{"ts":"2026-10-14T09:13:01.7Z","pid":4721,"domain":"t.example.net","ip":"198.51.100.23","port":443}\n')],
      ['dns.jsonl', Buffer.from('{"ts":"2026-10-14T09:13:01.7Z","domain":"t.example.net","answers":["198.51.100.23"],"type":"A"}\n')],
      ['processes.jsonl', Buffer.from('{"ts":"2026-10-14T09:13:01.7Z","event":"exec","pid":4721,"ppid":4719,"exe":"/usr/bin/curl"}\n')],
      ['manifest.json', Buffer.from('{"format":"ci-run-bundle","version":1,"policy":{"egress_policy":"audit","allowed_endpoints":["github.com:443"]}}')],
      ['detections.json', Buffer.from('[{"id":"d1","kind":"anomalous-endpoint","severity":"high","title":"x","ts":"2026-10-14T09:13:01Z"}]')],
      ['empty', Buffer.alloc(0)],
      ['zeros', Buffer.alloc(4096)],
      ['readme.md', Buffer.from('# Notes\n\nSome text with a call(1) = 0 in it.\n')],
    ];
    for (const [name, data] of others) {
      const b = best(name, data);
      expect({ name, ...b }).toEqual({ name, format: null, score: 0 });
    }
    // the bundle's own process-table.csv: only a token score, below any bundle importer's
    const pt = best('process-table.csv', Buffer.from('pid,ppid,start,end,exe,args,cwd,uid\n1,0,2026-06-17T08:40:00Z,,/sbin/init,init,/,0\n'));
    expect(pt.score).toBeLessThan(0.1);
  });
});
