/** A Lua script imported as its text, includes inlined (the repository's tooling/inline-assets loads it). */
declare module '*.lua' {
  const script: string;
  export default script;
}
