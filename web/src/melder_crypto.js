// The melder's cryptography for the follow-up page (web/src/volgen.js), as pure functions:
// the same derivation, signatures and sealing format (mw2) as envelope/melder_key.py,
// envelope/melder_auth.py and envelope/sealing.py.
import { Aes256Gcm, CipherSuite } from "@hpke/core";
import { DhkemX25519HkdfSha256, HkdfSha256 } from "@hpke/dhkem-x25519";
import { ed25519, x25519 } from "@noble/curves/ed25519.js";
import { scryptAsync } from "@noble/hashes/scrypt.js";
import { sha256, sha512 } from "@noble/hashes/sha2.js";

const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const MW2 = "mw2";
const MW2_ALG = "HPKE-Base-X25519-SHA256-AES256GCM/AES-256-GCM";
const HPKE_INFO = "meldwijzer/mw2/data-key\u0000";
const REQUEST_CONTEXT = "meldwijzer/melder-verzoek/v2\u0000";
const SALT_PREFIX = "meldwijzer/melder-key/v2/";

const enc = new TextEncoder();
const dec = new TextDecoder();
const suite = new CipherSuite({
  kem: new DhkemX25519HkdfSha256(),
  kdf: new HkdfSha256(),
  aead: new Aes256Gcm(),
});

// --- encoding helpers ------------------------------------------------------------------

export function concat(...parts) {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export const hex = (bytes) => Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
export const b64e = (bytes) => btoa(String.fromCharCode(...bytes));
export const b64d = (text) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));

// Canonical JSON as Python's json.dumps(sort_keys=True, separators=(",", ":")): the values
// signed or bound here are ASCII (ids, codes, base64), so both sides write the same bytes.
export function canonical(value) {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object") {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

// --- meldcode and keys ---------------------------------------------------------------

export function normalize(text) {
  let code = text.toUpperCase().replace(/[\s\-_.]/g, "");
  code = code.replace(/O/g, "0").replace(/[IL]/g, "1");
  if (![16, 20].includes(code.length) || [...code].some((c) => !ALPHABET.includes(c))) {
    return null;
  }
  return code;
}

export function keyId(publicKey) {
  return hex(sha256(publicKey)).slice(0, 16);
}

export async function melderKeys(code) {
  const kenmerk = code.slice(0, 4);
  const geheim = code.slice(4);
  const seed = await scryptAsync(enc.encode(geheim), enc.encode(SALT_PREFIX + kenmerk), {
    N: 2 ** 14,
    r: 8,
    p: 1,
    dkLen: 32,
  });
  // Own copies: the HPKE library reads a Uint8Array's whole underlying buffer.
  const privateKey = sha512(seed).slice(0, 32);
  const publicKey = Uint8Array.from(x25519.getPublicKey(privateKey));
  return {
    seed,
    sleutel: b64e(ed25519.getPublicKey(seed)),
    privateKey,
    publicKey,
    kid: keyId(publicKey),
  };
}

// --- sealing format mw2 (envelope/sealing.py) ----------------------------------------

async function aesKey(raw) {
  return crypto.subtle.importKey("raw", raw, "AES-GCM", false, ["encrypt", "decrypt"]);
}

export async function openSealed(sealed, header, keys) {
  if (sealed.v !== MW2 || sealed.alg !== MW2_ALG) throw new Error("format");
  const entry = sealed.recipients.find((r) => r.kid === keys.kid);
  if (!entry) throw new Error("not sealed to this melder");
  const headerBytes = enc.encode(canonical(header));
  const wrapped = b64d(entry.wrapped_key);
  const recipientKey = await suite.kem.deserializePrivateKey(keys.privateKey);
  const dataKey = await suite.open(
    { recipientKey, enc: wrapped.slice(0, 32), info: concat(enc.encode(HPKE_INFO), headerBytes) },
    wrapped.slice(32),
  );
  const plain = await crypto.subtle.decrypt(
    {
      name: "AES-GCM",
      iv: b64d(sealed.nonce),
      additionalData: concat(enc.encode(`${MW2}\u0000`), headerBytes),
    },
    await aesKey(new Uint8Array(dataKey)),
    b64d(sealed.ciphertext),
  );
  return new Uint8Array(plain);
}

export async function seal(plaintext, header, recipients) {
  const headerBytes = enc.encode(canonical(header));
  const dataKey = crypto.getRandomValues(new Uint8Array(32));
  const nonce = crypto.getRandomValues(new Uint8Array(12));
  const ciphertext = await crypto.subtle.encrypt(
    {
      name: "AES-GCM",
      iv: nonce,
      additionalData: concat(enc.encode(`${MW2}\u0000`), headerBytes),
    },
    await aesKey(dataKey),
    plaintext,
  );
  const wraps = [];
  for (const r of recipients) {
    const recipientPublicKey = await suite.kem.deserializePublicKey(Uint8Array.from(r.publicKey));
    const sealedKey = await suite.seal(
      { recipientPublicKey, info: concat(enc.encode(HPKE_INFO), headerBytes) },
      dataKey,
    );
    wraps.push({
      kid: r.kid,
      wrapped_key: b64e(concat(new Uint8Array(sealedKey.enc), new Uint8Array(sealedKey.ct))),
    });
  }
  return {
    v: MW2,
    alg: MW2_ALG,
    nonce: b64e(nonce),
    ciphertext: b64e(new Uint8Array(ciphertext)),
    recipients: wraps,
  };
}

// --- the melder API (envelope/melder_auth.py) ------------------------------------------

export class ApiFout extends Error {
  constructor(status, nl, code = "") {
    super(nl);
    this.status = status;
    this.code = code; // the backend's error code, e.g. "bewaarmelding"
  }
}

async function post(path, body) {
  const response = await fetch(path, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body || {}),
    credentials: "omit",
    cache: "no-store",
  });
  const data = await response.json().catch(() => ({}));
  if (!response.ok) {
    const nl = data && data.error && data.error.nl;
    const code = (data && data.error && data.error.code) || "";
    throw new ApiFout(response.status, nl || "Er ging iets mis. Probeer het later opnieuw.", code);
  }
  return data;
}

const PATHS = {
  status: "/api/v1/melder/status",
  berichten: "/api/v1/melder/berichten",
  aanvulling: "/api/v1/melder/aanvulling",
  intrekken: "/api/v1/melder/intrekken",
  // A bewaarmelding (web/src/volgen_bewaar.js).
  bewaard_openen: "/api/v1/melder/bewaard/openen",
  bewaard_aanvullen: "/api/v1/melder/bewaard/aanvullen",
  bewaard_verwijderen: "/api/v1/melder/bewaard/verwijderen",
  bewaard_versturen: "/api/v1/melder/bewaard/versturen",
  // "Niet alleen" (web/src/volgen_matching.js)
  "niet-alleen-status": "/api/v1/melder/niet-alleen/status",
  "niet-alleen-instemming": "/api/v1/melder/niet-alleen/instemming",
  checkin: "/api/v1/melder/checkin",
  bijlage: "/api/v1/melder/bijlagen", // web/src/bijlagen_seal.js
  bijlagen: "/api/v1/melder/bijlagen/lijst", // web/src/bijlagen_ui.js
};

export async function signed(keys, actie, body = {}) {
  const { uitdaging } = await post("/api/v1/melder/uitdaging");
  const digest = hex(sha256(enc.encode(canonical(body))));
  const message = `${REQUEST_CONTEXT}${actie}\u0000${uitdaging}\u0000${keys.sleutel}\u0000${digest}`;
  const handtekening = b64e(ed25519.sign(enc.encode(message), keys.seed));
  return post(PATHS[actie], { ...body, bewijs: { sleutel: keys.sleutel, uitdaging, handtekening } });
}

function berichtHeader(kop, soort, berichtId) {
  return { ...kop, deel: soort, bericht_id: berichtId };
}

export async function openBerichten(status, keys) {
  const opened = [];
  for (const b of status.berichten || []) {
    if (!b.sealed) continue;
    try {
      const plain = await openSealed(b.sealed, berichtHeader(status.kop, b.soort, b.id), keys);
      opened.push({ ...b, tekst: String(JSON.parse(dec.decode(plain)).tekst) });
    } catch (error) {
      // A message not sealed to this melder (or damaged) is left out, as in the chat.
    }
  }
  return opened;
}

export async function sendTekst(keys, status, soort, tekst) {
  const loket = status.loket_sleutel;
  const loketKey = b64d(loket.public_key);
  if (keyId(loketKey) !== loket.kid) throw new ApiFout(422, "De sleutel van het loket klopt niet.");
  const berichtId = crypto.randomUUID();
  const sealed = await seal(
    enc.encode(JSON.stringify({ tekst })),
    berichtHeader(status.kop, soort, berichtId),
    [
      { kid: loket.kid, publicKey: loketKey },
      { kid: keys.kid, publicKey: keys.publicKey },
    ],
  );
  return signed(keys, soort === "aanvulling" ? "aanvulling" : "berichten", {
    bericht_id: berichtId,
    sealed,
  });
}

