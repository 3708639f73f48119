// Where a program's time goes: `require()` of each package (its own files only, packages it loads counted apart),
// our own modules, and the rest (evaluation proper), measured by timing Node's module loader.
import Module from "module";
import * as path from "path";
import { performance } from "perf_hooks";

export interface Breakdown {
  /** From process start to the end of the program. */
  totalMs: number;
  /** Node's startup before the program's first line. */
  startupMs: number;
  /** Package (or `ours` for files outside node_modules) → ms spent loading its files, nested packages excluded. */
  requireMs: Record<string, number>;
  /** Package → files loaded. */
  files: Record<string, number>;
}

/** The package a file belongs to: the last `node_modules/<name>` (or `@scope/name`) of its path, else `ours`. */
function packageOf(file: string): string {
  const parts = file.split(path.sep);
  const at = parts.lastIndexOf("node_modules");
  if (at < 0) return "ours";
  return parts[at + 1].startsWith("@") ? `${parts[at + 1]}/${parts[at + 2]}` : parts[at + 1];
}

type Loader = (request: string, parent: unknown, isMain: boolean) => unknown;

export async function requireBreakdown(program: () => Promise<void>): Promise<Breakdown> {
  const startupMs = performance.now();
  const loader = Module as unknown as { _load: Loader; _resolveFilename: (request: string, parent: unknown, isMain: boolean) => string };
  const original = loader._load;
  const requireMs: Record<string, number> = {};
  const files: Record<string, number> = {};
  const seen = new Set<string>();
  // The stack of packages being loaded; each frame's time minus its children's is the package's own.
  const stack: { pkg: string; started: number; children: number }[] = [];
  loader._load = function (request, parent, isMain) {
    let file: string;
    try {
      file = loader._resolveFilename(request, parent, isMain);
    } catch {
      return original.call(this, request, parent, isMain);
    }
    if (seen.has(file) || !path.isAbsolute(file)) return original.call(this, request, parent, isMain);
    seen.add(file);
    const pkg = packageOf(file);
    files[pkg] = (files[pkg] ?? 0) + 1;
    const frame = { pkg, started: performance.now(), children: 0 };
    stack.push(frame);
    try {
      return original.call(this, request, parent, isMain);
    } finally {
      stack.pop();
      const elapsed = performance.now() - frame.started;
      requireMs[pkg] = (requireMs[pkg] ?? 0) + elapsed - frame.children;
      if (stack.length > 0) stack[stack.length - 1].children += elapsed;
    }
  };
  try {
    await program();
  } finally {
    loader._load = original;
  }
  return { totalMs: performance.now(), startupMs, requireMs, files };
}
