// Finding the processes a job started: ffmpeg runs with the job's work directory as its cwd and relative output
// names, so its command line does not name the directory (pgrep -f would find nothing); /proc/<pid>/cwd does.
import fs from 'node:fs';

/** Pids of the processes whose current directory is `dir`. */
export function processesIn(dir: string): number[] {
  return fs
    .readdirSync('/proc')
    .filter((e) => /^\d+$/.test(e))
    .flatMap((pid) => {
      try {
        return fs.readlinkSync(`/proc/${pid}/cwd`) === dir ? [Number(pid)] : [];
      } catch {
        return [];
      }
    });
}

/** The command name of a process (`ffmpeg`), or null once it is gone (a zombie counts as gone: it runs no more). */
export function commandOf(pid: number): string | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    if (/\) Z /.test(stat)) return null;
    return fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return null;
  }
}
