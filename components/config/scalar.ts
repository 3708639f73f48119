/** Config text as Pulumi types it: `true`, `false` and numbers become typed values, everything else stays text. */
export function typedScalar(text: string): unknown {
  if (text === "true") return true;
  if (text === "false") return false;
  if (/^-?\d+(\.\d+)?$/.test(text)) return Number(text);
  return text;
}
