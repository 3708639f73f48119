import * as fs from "fs";
import * as path from "path";
import { IngressControllerName } from "../components/config/schema/ingress";
import { MeshProvider } from "../components/config/schema/mesh";
import { runStack } from "./mockRunner";
import { repoRoot } from "./stackConfig";

/**
 * docs/troubleshooting.md keeps its prose by hand, but every command block between `<!-- runbook:<key> -->` and
 * `<!-- /runbook -->` is the `troubleshooting` stack output of a real (mocked) stack run, so the names in the runbook
 * are the names the components create. `npx ts-node --transpile-only tools/runbook.ts` rewrites the blocks; a test
 * fails when they are stale.
 */
export const runbookFile = path.join(repoRoot, "docs", "troubleshooting.md");

/** Sections of a `troubleshooting` output, by their `# title` line. */
export function sectionsOf(text: string): Map<string, string[]> {
  const sections = new Map<string, string[]>();
  for (const block of text.split("\n\n")) {
    const [title, ...commands] = block.split("\n");
    sections.set(title.replace(/^# /, ""), commands);
  }
  return sections;
}

async function troubleshootingOf(stack: string, overrides: string[] = []): Promise<Map<string, string[]>> {
  const run = await runStack(stack, overrides);
  return sectionsOf(String(run.outputs.troubleshooting));
}

function pick(sections: Map<string, string[]>, match: (title: string) => boolean): string[] {
  return [...sections.entries()].filter(([title]) => match(title)).flatMap(([title, commands]) => [`# ${title}`, ...commands, ""]);
}

/** The generated blocks, by marker key: the dev stack's common sections, then one block per controller, TLS and mesh. */
export async function runbookBlocks(): Promise<Map<string, string>> {
  const blocks = new Map<string, string>();
  const dev = await troubleshootingOf("dev");
  const common = (title: string) => !title.startsWith("Ingress controller") && !title.startsWith("Service mesh");
  blocks.set("dev", pick(dev, common).join("\n").trim());
  for (const controller of Object.values(IngressControllerName)) {
    const run = await troubleshootingOf("dev", [`ingress.controller=${controller}`]);
    blocks.set(`controller:${controller}`, pick(run, (t) => t.startsWith("Ingress controller")).join("\n").trim());
  }
  const staging = await troubleshootingOf("staging");
  blocks.set("tls", pick(staging, (t) => t.startsWith("Certificates")).join("\n").trim());
  for (const mesh of Object.values(MeshProvider).filter((m) => m !== "none")) {
    const run = await troubleshootingOf("dev", [`mesh.provider=${mesh}`]);
    blocks.set(`mesh:${mesh}`, pick(run, (t) => t.startsWith("Service mesh")).join("\n").trim());
  }
  return blocks;
}

const markerPattern = /<!-- runbook:([a-z:-]+) -->\n```sh\n(?:[^`][^\n]*\n|\n)*```\n<!-- \/runbook -->/g;

/** The keys the document has markers for, in order. */
export function markerKeys(doc: string): string[] {
  return [...doc.matchAll(markerPattern)].map((m) => m[1]);
}

/** The document with every marked block replaced by its generated commands. */
export function withBlocks(doc: string, blocks: Map<string, string>): string {
  return doc.replace(markerPattern, (_whole, key: string) => {
    const block = blocks.get(key);
    if (block === undefined) throw new Error(`docs/troubleshooting.md has a marker for unknown runbook block "${key}"`);
    return `<!-- runbook:${key} -->\n\`\`\`sh\n${block}\n\`\`\`\n<!-- /runbook -->`;
  });
}

if (require.main === module) {
  void runbookBlocks().then((blocks) => {
    fs.writeFileSync(runbookFile, withBlocks(fs.readFileSync(runbookFile, "utf8"), blocks));
    console.log(`Wrote ${path.relative(process.cwd(), runbookFile)}`);
  });
}
