// Bundle the chat client and the follow-up page's melder cryptography into local files
// served by the backend (no third-party hosts, no eval: the pages' CSP allows 'self' only).
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
// The follow-up page: scrypt, Ed25519/X25519 (@noble), HPKE (@hpke) for the melder's
// own keys. BigInt needs ES2020.
await build({
  entryPoints: ["src/volgen.js"],
  bundle: true,
  minify: true,
  format: "iife",
  target: ["es2020"],
  legalComments: "eof",
  // The meldcode word list (envelope/woordenlijst.txt) is bundled as a string.
  loader: { ".txt": "text" },
  outfile: `${out}/volgen.js`,
});
// Bijlagen in the chat: loaded by chat.js only when the melder clicks "Bijlage toevoegen".
await build({
  entryPoints: ["src/bijlagen_chat.js"],
  bundle: true,
  minify: true,
  format: "iife",
  target: ["es2020"],
  legalComments: "eof",
  outfile: `${out}/bijlagen_chat.js`,
});
console.log("built backend/web/static/build/chat.js, volgen.js and bijlagen_chat.js");
