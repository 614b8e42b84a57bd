// Meldwijzer follow-up page (/volgen): the melder's cryptography runs here, in the browser.
//
// A current meldcode (20 characters) never leaves this page. From it the browser derives
// the melder's keys (scrypt -> Ed25519 seed -> X25519, as envelope/melder_key.py does),
// signs a fresh challenge from the backend, opens the sealed messages (format mw2: HPKE,
// RFC 9180) and seals replies to the loket and the melder before sending them. The
// backend only ever sees the public key, signatures and ciphertext.
// An older meldcode (16 characters) goes to the server as before (hidden form field).
import {
  ApiFout,
  melderKeys,
  openBerichten,
  sendTekst,
  signed,
} from "./melder_crypto.js";
import { openBewaard, renderBewaard, verstuur, verwijder, voegToe } from "./volgen_bewaar.js";
import { toonNietAlleen } from "./volgen_matching.js";
import { checkinKlik, checkinSectie, sendCheckin } from "./volgen_checkin.js";
import { leesMeldcode } from "./volgen_woorden.js";
import { bijlagenSectie } from "./bijlagen_ui.js";
import { bewijsKnoppen } from "./ontvangstbewijs.js";
import { el } from "./dom.js";

// --- the page ---------------------------------------------------------------------------

const teksten = JSON.parse(document.getElementById("volgen-teksten").dataset.teksten);
const form = document.getElementById("volgen-form");
const input = document.getElementById("meldcode");
const oud = document.getElementById("meldcode-oud");
const uit = document.getElementById("volgen-resultaat");
const foutVak = document.getElementById("volgen-fout");


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
  // Sent from a bewaarmelding: when the melder first wrote it down.
  if (status.vastgelegd_op) feit(dl, "Vastgelegd op", document.createTextNode(datum(status.vastgelegd_op)));
  // The clock of this route: the law, an afspraak, or none (termijn_soort).
  const soort = teksten.datum_soort[status.termijn_soort];
  if (status.bevestigen_voor) {
    const bevestigd = status.bevestigd_op ? `. Bevestigd op ${datum(status.bevestigd_op)}.` : "";
    const tekst = `${datum(status.bevestigen_voor)} (${soort})${bevestigd}`;
    feit(dl, "Bevestiging uiterlijk", document.createTextNode(tekst));
  } else if (status.bevestigd_op) {
    feit(dl, "Bevestigd op", document.createTextNode(datum(status.bevestigd_op)));
  }
  if (status.terugkoppeling_voor) {
    const tekst = `${datum(status.terugkoppeling_voor)} (${soort})`;
    feit(dl, "Terugkoppeling uiterlijk", document.createTextNode(tekst));
  }
  stand.append(el("h2", { id: "stand", text: "Hoe staat het ervoor?" }), dl);
  const termijn = teksten.termijn[status.termijn_soort];
  if (termijn) {
    stand.append(el("p", { class: "hint termijn-uitleg", text: termijn.tekst }));
    stand.append(el("p", { class: "bron", text: `Bron: ${termijn.bron}` }));
  }
  uit.append(stand);
  // Check-ins after the melding (web/src/volgen_checkin.js, docs/checkin.md).
  const checkin = checkinSectie(status, { el, datum, teksten, antwoord: sessie && sessie.antwoord });
  if (checkin) uit.append(checkin);

  // The signed receipt of this melding (docs/ontvangstbewijs.md).
  if (status.ontvangstbewijs) {
    const bewijs = el("section", { "aria-labelledby": "ontvangstbewijs", class: "ontvangstbewijs" });
    bewijs.append(
      el("h2", { id: "ontvangstbewijs", text: "Ontvangstbewijs" }),
      bewijsKnoppen(status.ontvangstbewijs, {
        tekst: teksten.bewijs.downloaden,
        fout: teksten.bewijs.pdf_mislukt,
      }),
      el("p", {}, el("a", { href: "/bewijs/controleren", text: "Bewijs controleren" })),
    );
    uit.append(bewijs);
  }

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
    if (teksten.bijlagen) uit.append(bijlagenSectie(teksten.bijlagen, () => sessie));
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

// A bewaarmelding: stored, not sent (web/src/volgen_bewaar.js).
async function toonBewaard(melding) {
  sessie.bewaard = await openBewaard(sessie.keys);
  renderBewaard(uit, sessie.bewaard, teksten, datum, melding);
  uit.hidden = false;
  form.hidden = true;
  for (const hide of document.querySelectorAll("[data-alleen-invullen]")) hide.hidden = true;
  uit.querySelector("h1").focus();
}

async function bewaardActie(soort, f) {
  const t = teksten.bewaard;
  if (soort === "bewaard_toevoegen") {
    const tekst = f.querySelector("textarea").value.trim();
    if (!tekst) throw new ApiFout(422, "Je aanvulling is leeg.");
    await voegToe(sessie.keys, sessie.bewaard, tekst);
    await toonBewaard(t.toegevoegd);
  } else if (soort === "bewaard_verwijderen") {
    await verwijder(sessie.keys);
    sessie = null;
    uit.replaceChildren(
      el("h1", { text: "Jouw bewaarde melding", tabindex: "-1" }),
      el("p", { class: "melding gelukt", role: "status", text: t.verwijderd }),
      el("p", {}, el("a", { href: "/volgen", text: "Klaar? Sluit deze pagina of ga terug naar het begin." })),
    );
    uit.querySelector("h1").focus();
  } else if (soort === "bewaard_versturen") {
    await verstuur(sessie.keys, sessie.bewaard);
    sessie.bewaard = null;
    await toonStatus(t.verstuurd);
  }
}

async function toonStatus(melding) {
  let status;
  try {
    status = await signed(sessie.keys, "status");
  } catch (error) {
    if (error instanceof ApiFout && error.code === "bewaarmelding") return toonBewaard(melding);
    throw error;
  }
  status.berichten = await openBerichten(status, sessie.keys);
  sessie.status = status;
  render(status, melding);
  await toonNietAlleen(sessie.keys, uit, teksten.niet_alleen || {}, toonFout); // docs/matching.md
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
  const { code, fout } = leesMeldcode(input.value, teksten); // characters or words
  if (code && code.length === 16) {
    oud.value = code; // an older meldcode: the server's old path
    return;
  }
  event.preventDefault();
  if (!code) {
    toonFout(fout);
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
  const knop = event.submitter || f.querySelector("button[type=submit]");
  bezig(knop, async () => {
    if (soort.startsWith("bewaard_")) return bewaardActie(soort, f);
    if (soort === "checkin") {
      const antwoord = knop.value;
      const tekst = antwoord === "ja" ? f.querySelector("textarea").value.trim() : "";
      await sendCheckin(sessie.keys, sessie.status, antwoord, tekst);
      sessie.antwoord = antwoord;
      await toonStatus(teksten.checkin.bedankt.tekst);
      sessie.antwoord = null;
      return;
    }
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

uit.addEventListener("click", checkinKlik); // "Ja" shows the optional text field
form.dataset.klaar = "ja"; // the browser test waits for this
