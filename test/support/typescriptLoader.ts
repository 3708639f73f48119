import * as path from "path";

/** Node arguments that load TypeScript in a test's child process as jest does (swcRegister.js: swc, no source maps). */
export const typescriptLoader = ["--require", path.join(__dirname, "swcRegister.js")];
