/** The context menu of a process (tree item): its calls, select it, copy its pid, command line or chain. */
import { api } from '../api';
import { commandLine } from '../format';
import { select, setFilter } from '../state/selection';
import { copyText, type MenuItem } from './ContextMenu';

export function processMenu(p: { id: number; pid: number; name: string }): MenuItem[] {
  return [
    { label: `Show this process's calls (pid ${p.pid})`, run: () => setFilter({ search: `pid:${p.pid}` }) },
    { label: `Select ${p.name} (${p.pid})`, run: () => select({ kind: 'process', id: p.id }) },
    {
      label: 'Copy the command line',
      run: async () => {
        const d = await api['process.get']({ id: p.id });
        await copyText(commandLine(d.args, d.exe));
      },
    },
    {
      label: 'Copy the process chain',
      run: async () => {
        const d = await api['process.get']({ id: p.id });
        await copyText([...d.ancestors].reverse().concat([d]).map((x) => `${x.pid} ${commandLine(x.args, x.exe)}`).join('\n'));
      },
    },
    { label: 'Copy the pid', run: () => copyText(String(p.pid)) },
  ];
}
