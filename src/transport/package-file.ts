/**
 * Finds the package's own files (`proto/…`, `docs/openapi.yaml`) by walking up from this module, which
 * sits at a different depth when run from `src/` (tests) and from `dist/src/` (the built CLI).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The nearest directory above this module that contains `relativePath`. */
export function packageRoot(relativePath: string): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(path.join(dir, relativePath))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir)
      throw new Error(`cannot find ${relativePath} above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
}
