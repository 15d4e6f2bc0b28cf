/**
 * A minimal tar (ustar) writer and reader with gzip, for `model.tar.gz`: the training
 * job packs its `model/` directory, an endpoint or transform job unpacks it into the
 * server's `SM_MODEL_DIR`.
 *
 * The writer emits regular files and directories only, names up to 255 bytes (split
 * into ustar's prefix and name fields). The reader also understands pax (`x`) and GNU
 * (`L`) long names, so archives made by common tools unpack too; links and devices are
 * skipped.
 */
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';

const BLOCK = 512;

function octal(value: number, width: number): string {
  return value.toString(8).padStart(width - 1, '0') + '\0';
}

function splitName(name: string): { prefix: string; name: string } {
  if (Buffer.byteLength(name) <= 100) return { prefix: '', name };
  for (let i = name.indexOf('/'); i >= 0; i = name.indexOf('/', i + 1)) {
    const prefix = name.slice(0, i);
    const rest = name.slice(i + 1);
    if (Buffer.byteLength(prefix) <= 155 && Buffer.byteLength(rest) <= 100) return { prefix, name: rest };
  }
  throw new Error(`tar: path too long for ustar: ${name}`);
}

function header(path: string, size: number, type: '0' | '5', mode: number, mtime: number): Buffer {
  const h = Buffer.alloc(BLOCK, 0);
  const { prefix, name } = splitName(path);
  h.write(name, 0, 100, 'utf8');
  h.write(octal(mode, 8), 100, 8, 'ascii');
  h.write(octal(0, 8), 108, 8, 'ascii');
  h.write(octal(0, 8), 116, 8, 'ascii');
  h.write(octal(size, 12), 124, 12, 'ascii');
  h.write(octal(Math.floor(mtime), 12), 136, 12, 'ascii');
  h.write('        ', 148, 8, 'ascii');
  h.write(type, 156, 1, 'ascii');
  h.write('ustar\0', 257, 6, 'ascii');
  h.write('00', 263, 2, 'ascii');
  h.write(prefix, 345, 155, 'utf8');
  let sum = 0;
  for (const b of h) sum += b;
  h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 8, 'ascii');
  return h;
}

async function walk(root: string, rel: string, out: { rel: string; dir: boolean }[]): Promise<void> {
  const entries = await readdir(join(root, rel), { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    const path = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) {
      out.push({ rel: path, dir: true });
      await walk(root, path, out);
    } else if (e.isFile()) {
      out.push({ rel: path, dir: false });
    }
  }
}

/**
 * Packs the contents of `dir` (not the directory itself) as a gzipped tar, entries in
 * sorted path order.
 */
export async function packDirectory(dir: string): Promise<Uint8Array> {
  const entries: { rel: string; dir: boolean }[] = [];
  await walk(dir, '', entries);
  const chunks: Buffer[] = [];
  for (const e of entries) {
    const full = join(dir, e.rel);
    const st = await stat(full);
    const mtime = st.mtimeMs / 1000;
    if (e.dir) {
      chunks.push(header(`${e.rel}/`, 0, '5', 0o755, mtime));
    } else {
      const data = await readFile(full);
      chunks.push(header(e.rel, data.length, '0', st.mode & 0o111 ? 0o755 : 0o644, mtime), data);
      const pad = (BLOCK - (data.length % BLOCK)) % BLOCK;
      if (pad) chunks.push(Buffer.alloc(pad, 0));
    }
  }
  chunks.push(Buffer.alloc(BLOCK * 2, 0));
  return new Uint8Array(gzipSync(Buffer.concat(chunks)));
}

function field(buf: Buffer, start: number, length: number): string {
  const raw = buf.subarray(start, start + length);
  const end = raw.indexOf(0);
  return raw.subarray(0, end < 0 ? raw.length : end).toString('utf8');
}

function parsePax(data: Buffer): Record<string, string> {
  const out: Record<string, string> = {};
  let i = 0;
  while (i < data.length) {
    const space = data.indexOf(0x20, i);
    if (space < 0) break;
    const len = Number.parseInt(data.subarray(i, space).toString('ascii'), 10);
    if (!Number.isFinite(len) || len <= 0) break;
    const record = data.subarray(space + 1, i + len - 1).toString('utf8');
    const eq = record.indexOf('=');
    if (eq > 0) out[record.slice(0, eq)] = record.slice(eq + 1);
    i += len;
  }
  return out;
}

/**
 * Unpacks a tar (gzipped or not) into `dir`, creating it.
 * @returns the relative paths of the files written
 * @throws Error on a truncated archive or an entry that would land outside `dir`
 */
export async function unpackArchive(archive: Uint8Array, dir: string): Promise<string[]> {
  const bytes = Buffer.from(archive);
  const tar = bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes) : bytes;
  const root = resolve(dir);
  await mkdir(root, { recursive: true });
  const written: string[] = [];
  let offset = 0;
  let longName: string | undefined;
  while (offset + BLOCK <= tar.length) {
    const h = tar.subarray(offset, offset + BLOCK);
    if (h.every((b) => b === 0)) break;
    const size = Number.parseInt(field(h, 124, 12).trim() || '0', 8);
    const type = String.fromCharCode(h[156]!);
    const dataStart = offset + BLOCK;
    if (dataStart + size > tar.length) throw new Error('tar: truncated archive');
    const data = tar.subarray(dataStart, dataStart + size);
    offset = dataStart + Math.ceil(size / BLOCK) * BLOCK;
    if (type === 'x') {
      longName = parsePax(data).path ?? longName;
      continue;
    }
    if (type === 'L') {
      longName = field(data, 0, data.length);
      continue;
    }
    if (type === 'g') continue;
    const prefix = field(h, 345, 155);
    const name = longName ?? (prefix ? `${prefix}/${field(h, 0, 100)}` : field(h, 0, 100));
    longName = undefined;
    const rel = name.replace(/^\.\//, '').replace(/\/+$/, '');
    if (rel === '' || rel === '.') continue;
    const target = resolve(root, rel);
    if (!target.startsWith(root + sep)) throw new Error(`tar: entry outside the target directory: ${name}`);
    if (type === '5') {
      await mkdir(target, { recursive: true });
    } else if (type === '0' || type === '\0' || type === '7') {
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, data);
      written.push(rel);
    }
  }
  return written;
}
