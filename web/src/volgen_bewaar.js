// A bewaarmelding on the follow-up page (/volgen): open it, add to it, send it, delete it.
//
// The record is sealed to the melder's own key only (envelope/bewaarmelding.py). This page
// opens it with the keys derived from the meldcode, seals it again to the melder alone
// when something is added, and seals it as an ordinary mw2 melding to the loket's active
// key and the melder's key when it is sent (signed as every submission). The backend
// never sees the content; no loket can open the record.
import { ed25519 } from "@noble/curves/ed25519.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { ApiFout, b64d, b64e, canonical, hex, keyId, openSealed, seal, signed } from "./melder_crypto.js";
import { el } from "./dom.js";

const SUBMISSION_CONTEXT = "meldwijzer/melding-indienen/v2\u0000";
const HEADER_FIELDS = ["melding_id", "loket", "eenheid", "categorie", "aangemaakt_op"];
const enc = new TextEncoder();
const dec = new TextDecoder();

const bewaarHeader = (id) => ({ bewaar_id: id, deel: "bewaarmelding" });
const melderRecipient = (keys) => ({ kid: keys.kid, publicKey: keys.publicKey });

// --- the melder's side ------------------------------------------------------------------

export async function openBewaard(keys) {
  const data = await signed(keys, "bewaard_openen");
  const plain = await openSealed(data.sealed, bewaarHeader(data.bewaar_id), keys);
  return { data, record: JSON.parse(dec.decode(plain)) };
}

export async function voegToe(keys, bewaard, tekst) {
  const op = new Date().toISOString().replace(/\.\d{3}Z$/, "+00:00");
  const record = { ...bewaard.record };
  record.aanvullingen = [...(record.aanvullingen || []), { op, tekst }];
  const sealed = await seal(enc.encode(JSON.stringify(record)), bewaarHeader(bewaard.data.bewaar_id), [
    melderRecipient(keys),
  ]);
  return signed(keys, "bewaard_aanvullen", { sealed });
}

export function verwijder(keys) {
  return signed(keys, "bewaard_verwijderen");
}

// As envelope.bewaarmelding.melding_met_aanvullingen: the additions appended to the
// description, the identity left out (it is sealed apart, to the loket only).
function meldingVan(record, id) {
  const { identiteit, aanvullingen, ...melding } = record;
  const extra = (aanvullingen || []).map((a) => `Aanvulling (${String(a.op || "").slice(0, 10)}): ${a.tekst}`);
  if (extra.length) melding.beschrijving = [String(melding.beschrijving || ""), ...extra].join("\n\n");
  return { melding: { ...melding, melding_id: id }, identiteit };
}

async function loketSleutel(loket, eenheid) {
  const response = await fetch(`/api/v1/lokets/${encodeURIComponent(loket)}/${encodeURIComponent(eenheid)}/publickey`, {
    credentials: "omit",
    cache: "no-store",
  });
  const data = await response.json().catch(() => ({}));
  if (!response.ok) {
    throw new ApiFout(response.status, (data.error && data.error.nl) || "Het loket is nu niet bereikbaar.");
  }
  const publicKey = b64d(data.public_key);
  if (keyId(publicKey) !== data.kid) throw new ApiFout(422, "De sleutel van het loket klopt niet.");
  return { kid: data.kid, publicKey };
}

export async function verstuur(keys, bewaard) {
  const id = bewaard.data.bewaar_id;
  const { melding, identiteit } = meldingVan(bewaard.record, id);
  const loket = await loketSleutel(melding.loket, melding.eenheid);
  const header = Object.fromEntries(HEADER_FIELDS.map((f) => [f, String(melding[f])]));
  const sealed = await seal(enc.encode(JSON.stringify(melding)), header, [loket, melderRecipient(keys)]);
  const digest = hex(sha256(enc.encode(canonical(sealed))));
  const handtekening = ed25519.sign(enc.encode(`${SUBMISSION_CONTEXT}${id}\u0000${digest}`), keys.seed);
  const body = {
    envelope: header,
    sealed,
    melder_handtekening: b64e(handtekening),
    toestemming_doorsturen: Boolean(melding.toestemming_doorsturen),
  };
  if (identiteit) {
    body.sealed_identiteit = await seal(enc.encode(JSON.stringify(identiteit)), { ...header, deel: "identiteit" }, [
      loket,
    ]);
  }
  return signed(keys, "bewaard_versturen", body);
}

// --- the page ---------------------------------------------------------------------------


function vul(tekst, waarden) {
  return tekst.replace(/\{(\w+)\}/g, (_, naam) => waarden[naam] ?? "");
}

// Renders into `uit`; forms carry data-soort "bewaard_toevoegen" | "bewaard_versturen" |
// "bewaard_verwijderen" (volgen.js handles the submit).
export function renderBewaard(uit, bewaard, teksten, datum, melding) {
  const t = teksten.bewaard;
  const { data, record } = bewaard;
  const loketNaam = record.loket_naam || record.loket;
  uit.replaceChildren();
  uit.append(el("h1", { text: "Jouw bewaarde melding", tabindex: "-1" }));
  if (melding) uit.append(el("p", { class: "melding gelukt", role: "status", text: melding }));
  uit.append(el("p", { class: "bewaard-uitleg", text: t.kop }));

  const dl = el("dl", { class: "feiten" });
  const feit = (term, tekst) => dl.append(el("dt", { text: term }), el("dd", { text: tekst }));
  feit("Status", "Bewaard, nog niet verstuurd");
  feit("Vastgelegd op", datum(data.vastgelegd_op, true));
  feit("Loket dat je koos", loketNaam);
  feit("Situatie", teksten.categorie[record.categorie] || record.categorie);
  feit("Wordt verwijderd op", datum(data.verloopt_op));
  uit.append(dl, el("p", { class: "hint", text: vul(t.verloopt, { datum: datum(data.verloopt_op) }) }));

  const inhoud = el("section", { "aria-labelledby": "bewaard-inhoud" });
  inhoud.append(el("h2", { id: "bewaard-inhoud", text: "Wat je schreef" }));
  inhoud.append(el("p", { class: "tekst bewaard-beschrijving", text: record.beschrijving || "" }));
  const aanvullingen = record.aanvullingen || [];
  if (aanvullingen.length) {
    const lijst = el("ol", { class: "berichten" });
    for (const a of aanvullingen) {
      const meta = el("p", { class: "meta" }, el("strong", { text: "Jij" }));
      meta.append(document.createTextNode(` (aanvulling), ${datum(a.op, true)}`));
      lijst.append(el("li", { class: "bericht van-melder" }, meta, el("p", { class: "tekst", text: a.tekst })));
    }
    inhoud.append(lijst);
  }
  uit.append(inhoud);

  const toevoegen = el("section", { "aria-labelledby": "bewaard-toevoegen" });
  const f = el("form", { class: "form", "data-soort": "bewaard_toevoegen" });
  const area = el("textarea", { id: "bewaard-tekst", rows: "4", maxlength: "5000", required: "" });
  area.setAttribute("aria-describedby", "bewaard-tekst-hint");
  f.append(
    el("label", { for: "bewaard-tekst", text: "Iets toevoegen" }),
    el("p", { id: "bewaard-tekst-hint", class: "hint", text: t.toevoegen_hint }),
    area,
    el("button", { type: "submit", text: "Voeg toe" }),
  );
  toevoegen.append(el("h2", { id: "bewaard-toevoegen", text: "Iets toevoegen" }), f);
  uit.append(toevoegen);

  const versturen = el("section", { "aria-labelledby": "bewaard-versturen" });
  versturen.append(
    el("h2", { id: "bewaard-versturen", text: "Versturen" }),
    el("p", { text: vul(t.versturen, { loket: loketNaam }) }),
    el(
      "form",
      { class: "form", "data-soort": "bewaard_versturen" },
      el("button", { type: "submit", text: `Nu versturen naar ${loketNaam}` }),
    ),
  );
  uit.append(versturen);

  const weg = el("section", { "aria-labelledby": "bewaard-verwijderen" });
  const check = el("div", { class: "check" });
  check.append(
    el("input", { id: "zeker-weg", type: "checkbox", value: "ja", required: "" }),
    el("label", { for: "zeker-weg", text: "Ja, ik wil mijn bewaarde melding verwijderen" }),
  );
  weg.append(
    el("h2", { id: "bewaard-verwijderen", text: "Verwijderen" }),
    el("p", { text: t.verwijderen }),
    el(
      "form",
      { class: "form", "data-soort": "bewaard_verwijderen" },
      check,
      el("button", { type: "submit", class: "gevaar", text: "Verwijder" }),
    ),
  );
  uit.append(weg);
  uit.append(el("p", {}, el("a", { href: "/volgen", text: "Klaar? Sluit deze pagina of ga terug naar het begin." })));
}
