// Fixture files read as text through Vite's `?raw` suffix (the import tests' exports).
declare module '*?raw' {
  const text: string;
  export default text;
}
