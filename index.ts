// The entry Pulumi's component analyzer reads (`pulumi package add`): it infers the cross-language schema from TypeScript
// sources only, and looks here when package.json's main (dist/index.js, the compiled package) has no .ts beside it.
export * from "./components";
