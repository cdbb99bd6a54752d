import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';

export const MiB = 1024 * 1024;

/** Why a file was not read: the caller turns it into its own coded error. */
export interface FileProblem {
  readonly kind: 'symlink' | 'not-regular' | 'too-large' | 'unreadable';
  /** Says what the file is, after its name: `is a FIFO`, `is larger than the limit of 4 MiB`. */
  readonly why: string;
  readonly cause?: unknown;
}

/**
 * Reads a file that may be hostile (a bundle, an input, a rule): a FIFO, a device, a socket or a
 * directory is refused without blocking (O_NONBLOCK: opening a FIFO with no writer would wait
 * forever, deaf to SIGTERM); a symlink is refused unless `followSymlinks` (O_NOFOLLOW:
 * `checkpoint.txt -> /dev/zero` once read 16.8 GB); a file larger than `maxBytes` is refused from its
 * size, before any byte is read, and one that grows while being read is refused at `maxBytes + 1`.
 */
export function readBoundedFile(
  file: string,
  options: { maxBytes: number; followSymlinks?: boolean; refuse: (problem: FileProblem) => Error },
): Buffer {
  const { maxBytes, refuse } = options;
  const tooLarge = () =>
    refuse({
      kind: 'too-large',
      why: `is larger than the limit of ${maxBytes % MiB === 0 ? `${maxBytes / MiB} MiB` : `${maxBytes} bytes`}`,
    });
  let fd: number;
  try {
    const noFollow = options.followSymlinks ? 0 : constants.O_NOFOLLOW;
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK | noFollow);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (!options.followSymlinks && (code === 'ELOOP' || code === 'EMLINK'))
      throw refuse({ kind: 'symlink', why: 'is a symbolic link (refused: it could point anywhere)' });
    throw refuse({ kind: 'unreadable', why: `cannot be read (${code ?? String(error)})`, cause: error });
  }
  try {
    const info = fstatSync(fd);
    if (!info.isFile())
      throw refuse({
        kind: 'not-regular',
        why: `is ${info.isFIFO() ? 'a FIFO' : info.isDirectory() ? 'a directory' : 'not a regular file (a device or socket)'}; only regular files are read`,
      });
    if (info.size > maxBytes) throw tooLarge();
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(MiB, maxBytes + 1 - total));
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      chunks.push(chunk.subarray(0, n));
      total += n;
      if (total > maxBytes) throw tooLarge();
    }
    return Buffer.concat(chunks, total);
  } finally {
    closeSync(fd);
  }
}
