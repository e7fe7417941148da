// The slice of highlight.js that lib/highlight.ts uses. The package's own types pull in the DOM library
// (`/// <reference lib="dom" />`), which clashes with the Workers types, so tsconfig maps `highlight.js` here.
export interface LanguageFn {
  (hljs: HLJSApi): unknown;
}

export interface HLJSApi {
  registerLanguage(name: string, language: LanguageFn): void;
  getLanguage(name: string): object | undefined;
  highlight(code: string, options: { language: string; ignoreIllegals?: boolean }): { value: string };
}

declare const hljs: HLJSApi;
export default hljs;
