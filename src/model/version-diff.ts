// What changed between two stored versions of a report: fields added, removed and changed, each with a
// path an analyst can read ("reportedPeople #1 › screenName") and a JSON pointer for tools.
import diff from 'microdiff';

/** One change between two versions. */
export interface FieldChange {
  kind: 'added' | 'removed' | 'changed';
  /** Readable path: object keys joined by " › ", array items numbered from 1 ("files #2 › md5"). */
  path: string;
  /** RFC 6901 JSON pointer of the same place ("/files/1/md5"). */
  pointer: string;
  before?: unknown;
  after?: unknown;
}

/** The changes of one version against the one before it, grouped by kind. */
export interface VersionChanges {
  added: FieldChange[];
  removed: FieldChange[];
  changed: FieldChange[];
}

function readablePath(path: readonly (string | number)[]): string {
  const parts: string[] = [];
  for (const p of path) {
    if (typeof p === 'number') {
      const last = parts.pop();
      parts.push(last === undefined ? `#${p + 1}` : `${last} #${p + 1}`);
    } else {
      parts.push(p);
    }
  }
  return parts.join(' › ') || '(whole report)';
}

function pointerOf(path: readonly (string | number)[]): string {
  return path.map((p) => `/${String(p).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

function isContainer(v: unknown): v is Record<string, unknown> | unknown[] {
  return typeof v === 'object' && v !== null;
}

/** The structured difference from `before` to `after` (two parsed report documents). */
export function versionChanges(before: unknown, after: unknown): VersionChanges {
  const out: VersionChanges = { added: [], removed: [], changed: [] };
  if (!isContainer(before) || !isContainer(after)) {
    if (JSON.stringify(before) !== JSON.stringify(after)) out.changed.push({ kind: 'changed', path: readablePath([]), pointer: '', before, after });
    return out;
  }
  for (const d of diff(before, after)) {
    const base = { path: readablePath(d.path), pointer: pointerOf(d.path) };
    if (d.type === 'CREATE') out.added.push({ kind: 'added', ...base, after: d.value as unknown });
    else if (d.type === 'REMOVE') out.removed.push({ kind: 'removed', ...base, before: d.oldValue as unknown });
    else out.changed.push({ kind: 'changed', ...base, before: d.oldValue as unknown, after: d.value as unknown });
  }
  return out;
}
