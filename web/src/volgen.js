// Meldwijzer follow-up page (/volgen): the melder's cryptography runs here, in the browser.
//
// A current meldcode (20 characters) never leaves this page. From it the browser derives
// the melder's keys (scrypt -> Ed25519 seed -> X25519, as envelope/melder_key.py does),
// signs a fresh challenge from the backend, opens the sealed messages (format mw2: HPKE,
// RFC 9180) and seals replies to the loket and the melder before sending them. The
// backend only ever sees the public key, signatures and ciphertext.
// An older meldcode (16 characters) goes to the server as before (hidden form field).
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

function concat(...parts) {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

const hex = (bytes) => Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
const b64e = (bytes) => btoa(String.fromCharCode(...bytes));
const b64d = (text) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));

// Canonical JSON as Python's json.dumps(sort_keys=True, separators=(",", ":")): the values
// signed or bound here are ASCII (ids, codes, base64), so both sides write the same bytes.
function canonical(value) {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object") {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

// --- meldcode and keys ---------------------------------------------------------------

function normalize(text) {
  let code = text.toUpperCase().replace(/[\s\-_.]/g, "");
  code = code.replace(/O/g, "0").replace(/[IL]/g, "1");
  if (![16, 20].includes(code.length) || [...code].some((c) => !ALPHABET.includes(c))) {
    return null;
  }
  return code;
}

function keyId(publicKey) {
  return hex(sha256(publicKey)).slice(0, 16);
}

async function melderKeys(code) {
  const kenmerk = code.slice(0, 4);
  const geheim = code.slice(4);
  const seed = await scryptAsync(enc.encode(geheim), enc.encode(SALT_PREFIX + kenmerk), {
    N: 2 ** 14,
    r: 8,
    p: 1,
    dkLen: 32,
  });
  const privateKey = sha512(seed).slice(0, 32);
  const publicKey = x25519.getPublicKey(privateKey);
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

async function openSealed(sealed, header, keys) {
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

async function seal(plaintext, header, recipients) {
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
    const recipientPublicKey = await suite.kem.deserializePublicKey(r.publicKey);
    const sealedKey = await suite.seal(
      { recipientPublicKey, info: concat(enc.encode(HPKE_INFO), headerBytes) },
      dataKey,
    );
    wraps.push({
      kid: r.kid,
      wrapped_key: b64e(concat(new Uint8Array(sealedKey.enc), new Uint8Array(sealedKey.ciphertext))),
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

class ApiFout extends Error {
  constructor(status, nl) {
    super(nl);
    this.status = status;
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
    throw new ApiFout(response.status, nl || "Er ging iets mis. Probeer het later opnieuw.");
  }
  return data;
}

const PATHS = {
  status: "/api/v1/melder/status",
  berichten: "/api/v1/melder/berichten",
  aanvulling: "/api/v1/melder/aanvulling",
  intrekken: "/api/v1/melder/intrekken",
};

async function signed(keys, actie, body = {}) {
  const { uitdaging } = await post("/api/v1/melder/uitdaging");
  const digest = hex(sha256(enc.encode(canonical(body))));
  const message = `${REQUEST_CONTEXT}${actie}\u0000${uitdaging}\u0000${keys.sleutel}\u0000${digest}`;
  const handtekening = b64e(ed25519.sign(enc.encode(message), keys.seed));
  return post(PATHS[actie], { ...body, bewijs: { sleutel: keys.sleutel, uitdaging, handtekening } });
}

function berichtHeader(kop, soort, berichtId) {
  return { ...kop, deel: soort, bericht_id: berichtId };
}

async function openBerichten(status, keys) {
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

async function sendTekst(keys, status, soort, tekst) {
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

// --- the page ---------------------------------------------------------------------------

const teksten = JSON.parse(document.getElementById("volgen-teksten").dataset.teksten);
const form = document.getElementById("volgen-form");
const input = document.getElementById("meldcode");
const oud = document.getElementById("meldcode-oud");
const uit = document.getElementById("volgen-resultaat");
const foutVak = document.getElementById("volgen-fout");

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (name === "text") node.textContent = value;
    else node.setAttribute(name, value);
  }
  for (const child of children) if (child) node.append(child);
  return node;
}

function datum(iso, metTijd = false) {
  const moment = new Date(iso);
  const opties = { day: "numeric", month: "long", year: "numeric", timeZone: "Europe/Amsterdam" };
  if (metTijd) Object.assign(opties, { hour: "2-digit", minute: "2-digit" });
  return moment.toLocaleString("nl-NL", opties);
}

function toonFout(tekst) {
  foutVak.textContent = tekst;
  foutVak.hidden = !tekst;
  if (tekst) foutVak.focus();
}

function feit(dl, term, ...inhoud) {
  dl.append(el("dt", { text: term }), el("dd", {}, ...inhoud));
}

function tekstForm(id, label, knop, hint) {
  const f = el("form", { class: "form", "data-soort": id });
  const area = el("textarea", { id, rows: "4", maxlength: "5000", required: "" });
  f.append(el("label", { for: id, text: label }));
  if (hint) {
    f.append(el("p", { id: `${id}-hint`, class: "hint", text: hint }));
    area.setAttribute("aria-describedby", `${id}-hint`);
  }
  f.append(area, el("button", { type: "submit", text: knop }));
  return f;
}

function render(status, melding) {
  uit.replaceChildren();
  uit.append(el("h1", { text: "Jouw melding", tabindex: "-1" }));
  if (melding) uit.append(el("p", { class: "melding gelukt", role: "status", text: melding }));

  const stand = el("section", { "aria-labelledby": "stand" });
  const dl = el("dl", { class: "feiten" });
  const sterk = el("strong", {
    class: `status status-${status.status}`,
    text: teksten.status[status.status] || status.status,
  });
  const uitleg = teksten.uitleg[status.status] || "";
  feit(dl, "Status", sterk, document.createTextNode(` – ${uitleg}`));
  feit(dl, "Loket", document.createTextNode(status.loket_naam));
  feit(dl, "Situatie", document.createTextNode(teksten.categorie[status.categorie] || status.categorie));
  feit(dl, "Ontvangen op", document.createTextNode(datum(status.ontvangen_op)));
  const bevestigd = status.bevestigd_op ? ` (bevestigd op ${datum(status.bevestigd_op)})` : "";
  feit(dl, "Bevestiging uiterlijk", document.createTextNode(datum(status.bevestigen_voor) + bevestigd));
  feit(dl, "Terugkoppeling uiterlijk", document.createTextNode(datum(status.terugkoppeling_voor)));
  stand.append(el("h2", { id: "stand", text: "Hoe staat het ervoor?" }), dl);
  stand.append(el("p", { class: "hint", text: teksten.wettelijk }));
  uit.append(stand);

  const berichten = el("section", { "aria-labelledby": "berichten" });
  berichten.append(el("h2", { id: "berichten", text: "Berichten" }));
  if (status.berichten.length) {
    const lijst = el("ol", { class: "berichten" });
    for (const b of [...status.berichten].sort((x, y) => (x.verzonden_op < y.verzonden_op ? -1 : 1))) {
      const wie = b.van === "loket" ? "Het loket" : "Jij";
      const soort = b.soort === "aanvulling" ? " (aanvulling)" : "";
      const meta = el("p", { class: "meta" }, el("strong", { text: wie }));
      meta.append(document.createTextNode(`${soort}, ${datum(b.verzonden_op, true)}`));
      lijst.append(el("li", { class: `bericht van-${b.van}` }, meta, el("p", { class: "tekst", text: b.tekst })));
    }
    berichten.append(lijst);
  } else {
    berichten.append(el("p", { text: "Er zijn nog geen berichten." }));
  }
  uit.append(berichten);

  if (status.status !== "ingetrokken" && status.loket_sleutel) {
    const antwoord = el("section", { "aria-labelledby": "antwoord" });
    antwoord.append(
      el("h2", { id: "antwoord", text: "Iets sturen" }),
      tekstForm("bericht", "Bericht aan het loket", "Verstuur bericht"),
      tekstForm(
        "aanvulling",
        "Informatie toevoegen aan je melding",
        "Voeg toe",
        "Bijvoorbeeld iets wat je nog weet, of wat er daarna gebeurde.",
      ),
    );
    uit.append(antwoord);
    if (status.status !== "afgerond") {
      const intrek = el("section", { "aria-labelledby": "intrekken" });
      const f = el("form", { class: "form", "data-soort": "intrekken" });
      const check = el("div", { class: "check" });
      check.append(
        el("input", { id: "zeker", type: "checkbox", value: "ja", required: "" }),
        el("label", { for: "zeker", text: "Ja, ik wil mijn melding intrekken" }),
      );
      f.append(check, el("button", { type: "submit", class: "gevaar", text: "Trek melding in" }));
      intrek.append(
        el("h2", { id: "intrekken", text: "Melding intrekken" }),
        el("p", {
          text: "Wil je niet meer dat het loket iets met je melding doet? Dan kun je hem intrekken. Dat kun je niet terugdraaien.",
        }),
        f,
      );
      uit.append(intrek);
    }
  }
  const terug = el("p", {}, el("a", { href: "/volgen", text: "Klaar? Sluit deze pagina of ga terug naar het begin." }));
  uit.append(terug);
  uit.hidden = false;
  form.hidden = true;
  for (const hide of document.querySelectorAll("[data-alleen-invullen]")) hide.hidden = true;
  uit.querySelector("h1").focus();
}

let sessie = null; // { keys } for this page view only; gone when the page closes

async function toonStatus(melding) {
  const status = await signed(sessie.keys, "status");
  status.berichten = await openBerichten(status, sessie.keys);
  sessie.status = status;
  render(status, melding);
}

async function bezig(knop, werk) {
  const tekst = knop.textContent;
  knop.disabled = true;
  knop.textContent = "Even geduld …";
  toonFout("");
  try {
    await werk();
  } catch (error) {
    if (error instanceof ApiFout && (error.status === 404 || error.status === 429)) {
      sessie = null;
      uit.hidden = true;
      form.hidden = false;
    }
    toonFout(error instanceof ApiFout ? error.message : "Er ging iets mis. Probeer het later opnieuw.");
  } finally {
    knop.disabled = false;
    knop.textContent = tekst;
  }
}

form.addEventListener("submit", (event) => {
  const code = normalize(input.value);
  if (code && code.length === 16) {
    oud.value = code; // an older meldcode: the server's old path
    return;
  }
  event.preventDefault();
  if (!code) {
    toonFout(teksten.vorm);
    return;
  }
  const knop = form.querySelector("button[type=submit]");
  bezig(knop, async () => {
    sessie = { keys: await melderKeys(code) };
    input.value = "";
    await toonStatus();
  });
});

uit.addEventListener("submit", (event) => {
  const f = event.target;
  event.preventDefault();
  if (!sessie) return;
  const soort = f.dataset.soort;
  const knop = f.querySelector("button[type=submit]");
  bezig(knop, async () => {
    if (soort === "intrekken") {
      await signed(sessie.keys, "intrekken");
      await toonStatus("Je melding is ingetrokken.");
      return;
    }
    const tekst = f.querySelector("textarea").value.trim();
    if (!tekst) throw new ApiFout(422, "Je bericht is leeg.");
    await sendTekst(sessie.keys, sessie.status, soort, tekst);
    await toonStatus(
      soort === "aanvulling" ? "Je aanvulling is toegevoegd aan je melding." : "Je bericht is verstuurd.",
    );
  });
});

form.dataset.klaar = "ja"; // the browser test waits for this
