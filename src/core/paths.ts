/** Repository-relative paths (`/`-separated, `.` for the root), without touching a file system. */

export function dirOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '.' : path.slice(0, i);
}

/** Joins and normalises repository-relative paths; null when the result leaves the repository. */
export function joinPath(dir: string, rel: string): string | null {
  const parts = dir === '.' ? [] : dir.split('/');
  for (const seg of rel.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (parts.length === 0) return null;
      parts.pop();
    } else parts.push(seg);
  }
  return parts.length ? parts.join('/') : '.';
}
