/** Files the dashboard imports as text (the repository's tooling/inline-assets loads them; the build inlines them). */
declare module '*.css' {
  const stylesheet: string;
  export default stylesheet;
}

/** A TypeScript entry compiled into one script for the browser. */
declare module '*?browser' {
  const script: string;
  export default script;
}
