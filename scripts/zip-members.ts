/** Every member of a zip as stored (folders skipped), in archive order: used by the fixture scripts and their tests. */
import * as yauzl from 'yauzl';

export async function zipMembers(file: string): Promise<{ name: string; data: Buffer }[]> {
  const zip = await new Promise<yauzl.ZipFile>((res, rej) => yauzl.open(file, { lazyEntries: true }, (e, z) => (e ? rej(e) : res(z!))));
  const out: { name: string; data: Buffer }[] = [];
  await new Promise<void>((res, rej) => {
    zip.on('entry', (entry: yauzl.Entry) => {
      if (entry.fileName.endsWith('/')) return zip.readEntry();
      zip.openReadStream(entry, (e, s) => {
        if (e) return rej(e);
        const parts: Buffer[] = [];
        s!.on('data', (c: Buffer) => parts.push(c));
        s!.on('error', rej);
        s!.on('end', () => {
          out.push({ name: entry.fileName, data: Buffer.concat(parts) });
          zip.readEntry();
        });
      });
    });
    zip.on('end', () => res());
    zip.on('error', rej);
    zip.readEntry();
  });
  return out;
}
