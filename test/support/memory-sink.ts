/** An in-memory RecordSink that keeps everything an importer gives it: the contract importers write to. */
import type {
  DetectionRecord,
  DnsRecord,
  FileEventRecord,
  LogLineRecord,
  NetworkRecord,
  Policy,
  ProcessEventRecord,
  RunInfo,
  StepRecord,
} from '../../shared/model';
import type { RecordSink } from '../../electron/import/types';

export class MemorySink implements RecordSink {
  runs: RunInfo[] = [];
  policies: Policy[] = [];
  steps: StepRecord[] = [];
  lines: LogLineRecord[] = [];
  procs: ProcessEventRecord[] = [];
  nets: NetworkRecord[] = [];
  dnss: DnsRecord[] = [];
  files: FileEventRecord[] = [];
  dets: DetectionRecord[] = [];
  warnings: { line: number | null; message: string }[] = [];
  run(i: RunInfo) {
    this.runs.push(i);
  }
  policy(p: Policy) {
    this.policies.push(p);
  }
  step(r: StepRecord) {
    this.steps.push(r);
  }
  logLine(r: LogLineRecord) {
    this.lines.push(r);
  }
  processEvent(r: ProcessEventRecord) {
    this.procs.push(r);
  }
  network(r: NetworkRecord) {
    this.nets.push(r);
  }
  dns(r: DnsRecord) {
    this.dnss.push(r);
  }
  fileEvent(r: FileEventRecord) {
    this.files.push(r);
  }
  detection(r: DetectionRecord) {
    this.dets.push(r);
  }
  warn(line: number | null, message: string) {
    this.warnings.push({ line, message });
  }
}
