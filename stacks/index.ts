import { main } from "./program";

// Pulumi calls an exported function and awaits its result as the stack outputs.
export = main;
