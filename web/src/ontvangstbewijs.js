// The ontvangstbewijs (signed receipt) as two downloads: the JSON file as the backend
// signed it, and a one-page PDF that the backend renders after checking the receipt
// (POST /bewijs/pdf, nothing stored). Used by the chat (web/src/chat.js) and the
// follow-up page (web/src/volgen.js). The receipt holds no content (docs/ontvangstbewijs.md).

const PDF_MISLUKT = "De PDF maken lukte niet. Probeer het later opnieuw.";

function bestandsnaam(bewijs, extensie) {
  const id = String(bewijs.melding_id || "melding").replace(/[^0-9a-f-]/gi, "").slice(0, 8);
  return `ontvangstbewijs-${id}.${extensie}`;
}

function download(blob, naam) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = naam;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60000);
}

// The receipt exactly as received: the signature covers its fields, not this layout.
export function bewijsJson(bewijs) {
  return JSON.stringify(bewijs, null, 2) + "\n";
}

export function downloadJson(bewijs) {
  download(new Blob([bewijsJson(bewijs)], { type: "application/json" }), bestandsnaam(bewijs, "json"));
}

export async function downloadPdf(bewijs) {
  const response = await fetch("/bewijs/pdf", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    credentials: "same-origin",
    referrerPolicy: "no-referrer",
    body: JSON.stringify(bewijs),
  });
  if (!response.ok) throw new Error(`PDF ${response.status}`);
  download(await response.blob(), bestandsnaam(bewijs, "pdf"));
}

// A group of two buttons (and a line for a failed PDF). `tekst` is an optional sentence
// above the buttons; `fout` the text when the PDF fails.
export function bewijsKnoppen(bewijs, { tekst = "", fout = PDF_MISLUKT } = {}) {
  const box = document.createElement("div");
  box.className = "bewijs-downloads";
  box.setAttribute("role", "group");
  box.setAttribute("aria-label", "Ontvangstbewijs downloaden");
  if (tekst) {
    const p = document.createElement("p");
    p.className = "hint";
    p.textContent = tekst;
    box.append(p);
  }
  const json = document.createElement("button");
  json.type = "button";
  json.className = "bewijs-json";
  json.textContent = "Ontvangstbewijs downloaden (JSON)";
  json.addEventListener("click", () => downloadJson(bewijs));
  const pdf = document.createElement("button");
  pdf.type = "button";
  pdf.className = "bewijs-pdf";
  pdf.textContent = "Ontvangstbewijs downloaden (PDF)";
  const melding = document.createElement("p");
  melding.className = "bewijs-fout";
  melding.setAttribute("role", "alert");
  melding.hidden = true;
  pdf.addEventListener("click", async () => {
    pdf.disabled = true;
    melding.hidden = true;
    try {
      await downloadPdf(bewijs);
    } catch (e) {
      melding.textContent = fout;
      melding.hidden = false;
    } finally {
      pdf.disabled = false;
    }
  });
  box.append(json, pdf, melding);
  return box;
}

// The receipt in a bot message: socket.io delivers the custom data as the message,
// the REST channel under `custom` (actions/ontvangstbewijs.py).
export function bewijsUitBericht(message) {
  if (!message) return null;
  if (message.ontvangstbewijs) return message.ontvangstbewijs;
  const custom = message.custom;
  if (custom && custom.data && custom.data.ontvangstbewijs) return custom.data.ontvangstbewijs;
  if (custom && custom.ontvangstbewijs) return custom.ontvangstbewijs;
  return null;
}
