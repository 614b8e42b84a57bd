// Bundle the chat client into one local file served by the backend.
// Run: npm ci && npm run build   (or `make web` from the repo root)
import { build } from "esbuild";
import { mkdirSync } from "node:fs";

const out = "../backend/web/static/build";
mkdirSync(out, { recursive: true });
await build({
  entryPoints: ["src/chat.js"],
  bundle: true,
  minify: true,
  format: "iife",
  target: ["es2019"],
  legalComments: "eof",
  outfile: `${out}/chat.js`,
});
console.log("built backend/web/static/build/chat.js");
