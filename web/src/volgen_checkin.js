// Check-ins after a melding on the follow-up page (docs/checkin.md).
//
// 1, 3 and 6 months after the melding the page asks "Merk je sinds je melding nadelige
// gevolgen in je werk?". The answer (and an optional text after "Ja") is sealed here, in the
// browser, to the loket and the melder (mw2, header {…, deel: "checkin", moment}) and sent
// signed; only "ja" travels beside it as the clear signal for the loket's clock list.
// The calendar file (.ics) with the three moments is made here too: nothing is asked from
// or stored on the server, and it holds no meldcode, no melding id and no loket.
import { ApiFout, b64d, keyId, seal, signed } from "./melder_crypto.js";

const enc = new TextEncoder();
export const ANTWOORDEN = ["nee", "ja", "weet_niet"];

export function checkinHeader(kop, moment) {
  return { ...kop, deel: "checkin", moment: String(moment) };
}

export async function sendCheckin(keys, status, antwoord, tekst) {
  if (!ANTWOORDEN.includes(antwoord)) throw new ApiFout(422, "Kies een antwoord.");
  const loket = status.loket_sleutel;
  const loketKey = b64d(loket.public_key);
  if (keyId(loketKey) !== loket.kid) throw new ApiFout(422, "De sleutel van het loket klopt niet.");
  const moment = status.checkin.moment;
  const inhoud = tekst ? { antwoord, tekst } : { antwoord };
  const sealed = await seal(enc.encode(JSON.stringify(inhoud)), checkinHeader(status.kop, moment), [
    { kid: loket.kid, publicKey: loketKey },
    { kid: keys.kid, publicKey: keys.publicKey },
  ]);
  return signed(keys, "checkin", { moment, nadelige_gevolgen: antwoord === "ja", sealed });
}

// --- the calendar file ---------------------------------------------------------------

function icsDatum(moment) {
  // The day in the Netherlands, as an all-day date (YYYYMMDD).
  const delen = new Intl.DateTimeFormat("en-CA", {
    timeZone: "Europe/Amsterdam",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).formatToParts(moment);
  const deel = (type) => delen.find((p) => p.type === type).value;
  return `${deel("year")}${deel("month")}${deel("day")}`;
}

function icsTekst(text) {
  return text.replace(/\\/g, "\\\\").replace(/;/g, "\\;").replace(/,/g, "\\,").replace(/\n/g, "\\n");
}

function vouw(line) {
  // RFC 5545: lines of at most 75 octets (our texts are short; fold to be safe).
  const out = [];
  let rest = line;
  while (rest.length > 73) {
    out.push(rest.slice(0, 73));
    rest = ` ${rest.slice(73)}`;
  }
  out.push(rest);
  return out.join("\r\n");
}

// momenten: ISO datetimes; url: the follow-up page; titel/uitleg: neutral texts.
export function agendaIcs(momenten, url, titel, uitleg, nu = new Date()) {
  const stempel = nu.toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
  const regels = [
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    "PRODID:-//Meldwijzer//Terugkijken//NL",
    "CALSCALE:GREGORIAN",
    "METHOD:PUBLISH",
  ];
  for (const iso of momenten) {
    const dag = new Date(iso);
    const volgende = new Date(dag.getTime() + 24 * 3600 * 1000);
    regels.push(
      "BEGIN:VEVENT",
      `UID:${crypto.randomUUID()}@meldwijzer.invalid`,
      `DTSTAMP:${stempel}`,
      `DTSTART;VALUE=DATE:${icsDatum(dag)}`,
      `DTEND;VALUE=DATE:${icsDatum(volgende)}`,
      `SUMMARY:${icsTekst(titel)}`,
      `DESCRIPTION:${icsTekst(`${uitleg} ${url}`)}`,
      `URL:${url}`,
      "TRANSP:TRANSPARENT",
      "END:VEVENT",
    );
  }
  regels.push("END:VCALENDAR");
  return `${regels.map(vouw).join("\r\n")}\r\n`;
}

// --- the section on the page -----------------------------------------------------------

// status: the opened status answer; hulp: { el, datum, teksten } of volgen.js and, right
// after answering, the answer given (antwoord).
export function checkinSectie(status, hulp) {
  const { el, datum } = hulp;
  const t = hulp.teksten.checkin;
  if (!t || !status.checkin_momenten || !status.checkin_momenten.length) return null;
  if (status.status === "ingetrokken") return null;
  const sectie = el("section", { "aria-labelledby": "checkin-titel", class: "checkin-vraag" });
  sectie.append(el("h2", { id: "checkin-titel", text: "Even terugkijken" }));
  const open = status.checkin;
  if (open && !open.beantwoord && status.loket_sleutel) {
    const f = el("form", { class: "form", "data-soort": "checkin", "aria-labelledby": "checkin-vraag" });
    f.append(
      el("p", { id: "checkin-vraag", class: "vraag", text: t.vraag.tekst }),
      el("p", { class: "hint", text: t.waarom.tekst }),
      el("p", { class: "bron", text: `Bron: ${t.waarom.bron}` }),
    );
    const knoppen = el("div", { class: "knoppen" });
    knoppen.append(
      el("button", { type: "submit", name: "antwoord", value: "nee", text: "Nee" }),
      el("button", { type: "button", "data-toon": "checkin-ja", "aria-expanded": "false", text: "Ja" }),
      el("button", {
        type: "submit",
        name: "antwoord",
        value: "weet_niet",
        text: "Weet ik niet / liever niet zeggen",
      }),
    );
    const ja = el("div", { id: "checkin-ja", hidden: "" });
    const area = el("textarea", {
      id: "checkin-tekst",
      rows: "3",
      maxlength: "5000",
      "aria-describedby": "checkin-tekst-hint",
    });
    ja.append(
      el("label", { for: "checkin-tekst", text: "Wat merk je? (mag leeg blijven)" }),
      el("p", { id: "checkin-tekst-hint", class: "hint", text: t.tekst_hint.tekst }),
      area,
      el("button", { type: "submit", name: "antwoord", value: "ja", text: "Verstuur: ja" }),
    );
    f.append(knoppen, ja, el("p", { class: "hint", text: t.privacy.tekst }));
    sectie.append(f);
  } else if (open && open.beantwoord) {
    sectie.append(el("p", { text: t.beantwoord.tekst }));
    if (hulp.antwoord === "ja") {
      // Just answered "ja": what the melder can do, with its sources.
      sectie.append(
        el("p", { class: "checkin-na-ja", text: t.na_ja.tekst }),
        el("p", { class: "bron", text: `Bron: ${t.na_ja.bron}` }),
      );
    }
  }
  const volgende = status.checkin_volgende
    ? t.volgende.tekst.replace("{datum}", datum(status.checkin_volgende))
    : t.laatste.tekst;
  sectie.append(el("p", { class: "checkin-volgende", text: volgende }));

  // The calendar file is made now, in the browser; the link only downloads it.
  const ics = agendaIcs(
    status.checkin_momenten,
    `${location.origin}/volgen`,
    t.agenda_titel.tekst,
    t.agenda_uitleg.tekst,
  );
  const link = el("a", {
    class: "knop-link",
    download: "meldwijzer-terugkijken.ics",
    href: URL.createObjectURL(new Blob([ics], { type: "text/calendar;charset=utf-8" })),
    id: "checkin-agenda",
    text: "Herinnering in je agenda (.ics)",
  });
  sectie.append(el("p", { class: "hint", text: t.agenda.tekst }), el("p", {}, link));
  return sectie;
}

// Reveal the text field after "Ja" (a click inside the section).
export function checkinKlik(event) {
  const knop = event.target.closest && event.target.closest("button[data-toon]");
  if (!knop) return;
  const doel = document.getElementById(knop.dataset.toon);
  doel.hidden = false;
  knop.setAttribute("aria-expanded", "true");
  doel.querySelector("textarea").focus();
}
