import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { VigilError } from '../core/vigil-error.js';

/** Sizes a hostile file given on the command line may have before it is refused unread. */
export const MiB = 1024 * 1024;

/**
 * Reads a file given on the command line (a bundle, an input) that may be hostile: a symlink is
 * refused, not followed (`checkpoint.txt -> /dev/zero` once read 16.8 GB); a FIFO, a device or a
 * directory is refused without blocking (O_NONBLOCK: opening a FIFO with no writer would wait forever,
 * deaf to SIGTERM); a file larger than `maxBytes` is refused from its size, before any byte is read,
 * and a file that grows while being read is refused at `maxBytes + 1`.
 */
export function readRegularFile(file: string, maxBytes: number): Buffer {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ELOOP' || code === 'EMLINK')
      throw notRegular(file, 'a symbolic link (refused: it could point anywhere)');
    throw new VigilError('CLI_FILE_UNREADABLE', `cannot read ${file}: ${code ?? String(error)}`, {
      category: 'input',
      details: { file },
      cause: error,
    });
  }
  try {
    const info = fstatSync(fd);
    if (!info.isFile())
      throw notRegular(
        file,
        info.isFIFO()
          ? 'a FIFO'
          : info.isDirectory()
            ? 'a directory'
            : 'not a regular file (a device or socket)',
      );
    if (info.size > maxBytes) throw tooLarge(file, maxBytes);
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(MiB, maxBytes + 1 - total));
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      chunks.push(chunk.subarray(0, n));
      total += n;
      if (total > maxBytes) throw tooLarge(file, maxBytes);
    }
    return Buffer.concat(chunks, total);
  } finally {
    closeSync(fd);
  }
}

/** `readRegularFile` as UTF-8 text. */
export function readRegularTextFile(file: string, maxBytes: number): string {
  return readRegularFile(file, maxBytes).toString('utf8');
}

function notRegular(file: string, what: string): VigilError {
  return new VigilError('CLI_FILE_NOT_REGULAR', `${file} is ${what}; only regular files are read`, {
    category: 'input',
    details: { file },
  });
}

function tooLarge(file: string, maxBytes: number): VigilError {
  return new VigilError(
    'CLI_FILE_TOO_LARGE',
    `${file} is larger than the limit of ${formatBytes(maxBytes)}`,
    { category: 'input', details: { file, maxBytes } },
  );
}

const formatBytes = (n: number): string => (n % MiB === 0 ? `${n / MiB} MiB` : `${n} bytes`);
