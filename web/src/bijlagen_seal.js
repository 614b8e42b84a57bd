// Seal a bijlage in the browser (format mwf1, envelope/bijlagen.py) and upload it in chunks.
//
// One random file key per file, in a manifest sealed (mw2) to the loket and the melder;
// the content in chunks of 512 KiB, AES-256-GCM with nonce = prefix ‖ counter ‖ last
// (STREAM). Only one chunk is in memory at a time; the SHA-256 of all ciphertext is
// computed on the way. A chunk is retried a few times (the PUT is idempotent); when the
// upload still fails, it is discarded on the server, so nothing half stays behind.
import { sha256 } from "@noble/hashes/sha2.js";
import { ApiFout, b64d, b64e, concat, hex, keyId, seal, signed } from "./melder_crypto.js";

export const CHUNK_SIZE = 512 * 1024;
const TAG = 16;
const enc = new TextEncoder();
const BASE = "/api/v1/uploads"; // token-authenticated; the signed start is in melder_crypto.js

function teller(index, last) {
  const out = new Uint8Array(5);
  new DataView(out.buffer).setUint32(0, index);
  out[4] = last ? 1 : 0;
  return out;
}

export async function encryptChunk(key, prefix, bijlageId, index, plain, last) {
  const t = teller(index, last);
  const ct = await crypto.subtle.encrypt(
    {
      name: "AES-GCM",
      iv: concat(prefix, t),
      additionalData: concat(enc.encode(`mwf1\u0000${bijlageId}\u0000`), t),
    },
    key,
    plain,
  );
  return new Uint8Array(ct);
}

async function verzoek(method, path, token, body, json = false) {
  const headers = { "X-Bijlage-Token": token };
  if (json) headers["Content-Type"] = "application/json";
  else if (body) headers["Content-Type"] = "application/octet-stream";
  const response = await fetch(path, {
    method,
    headers,
    body: json ? JSON.stringify(body) : body,
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

async function metHerkansing(werk, pogingen = 3) {
  for (let poging = 1; ; poging++) {
    try {
      return await werk();
    } catch (error) {
      // A refusal (4xx) will not change; a lost connection or 5xx may.
      const blijvend = error instanceof ApiFout && error.status >= 400 && error.status < 500;
      if (blijvend || poging >= pogingen) throw error;
      await new Promise((klaar) => setTimeout(klaar, 500 * poging));
    }
  }
}

// schoon: the result of schoonmaken(); voortgang(fraction) is called after every chunk.
export async function verstuurBijlage(keys, status, schoon, voortgang = () => {}) {
  const loket = status.loket_sleutel;
  const loketKey = b64d(loket.public_key);
  if (keyId(loketKey) !== loket.kid) throw new ApiFout(422, "De sleutel van het loket klopt niet.");
  const bijlageId = crypto.randomUUID();
  const rawKey = crypto.getRandomValues(new Uint8Array(32));
  const prefix = crypto.getRandomValues(new Uint8Array(7));
  const blob = schoon.blob;
  const delen = Math.max(1, Math.ceil(blob.size / CHUNK_SIZE));
  const manifest = {
    v: "mwf1",
    naam: schoon.naam,
    type: schoon.type,
    grootte: blob.size,
    deel_grootte: CHUNK_SIZE,
    sleutel: b64e(rawKey),
    nonce_prefix: b64e(prefix),
    verwijderd: schoon.verwijderd,
    let_op: schoon.letOp,
  };
  const sealed = await seal(
    enc.encode(JSON.stringify(manifest)),
    { ...status.kop, deel: "bijlage", bijlage_id: bijlageId },
    [
      { kid: loket.kid, publicKey: loketKey },
      { kid: keys.kid, publicKey: keys.publicKey },
    ],
  );
  rawKey.fill(0); // from here on only the non-extractable key below
  const key = await crypto.subtle.importKey("raw", b64d(manifest.sleutel), "AES-GCM", false, ["encrypt"]);
  manifest.sleutel = "";
  const grootte = blob.size + TAG * delen;
  const begin = await signed(keys, "bijlage", {
    bijlage_id: bijlageId,
    manifest: sealed,
    grootte,
    delen,
  });
  const token = begin.token;
  const hasher = sha256.create();
  try {
    for (let i = 0; i < delen; i++) {
      const plain = new Uint8Array(await blob.slice(i * CHUNK_SIZE, (i + 1) * CHUNK_SIZE).arrayBuffer());
      const ct = await encryptChunk(key, prefix, bijlageId, i, plain, i === delen - 1);
      hasher.update(ct);
      await metHerkansing(() => verzoek("PUT", `${BASE}/${bijlageId}/delen/${i}`, token, ct));
      voortgang((i + 1) / delen);
    }
    await metHerkansing(() =>
      verzoek("POST", `${BASE}/${bijlageId}/afronden`, token, { grootte, sha256: hex(hasher.digest()) }, true),
    );
  } catch (error) {
    // Nothing half: throw the unfinished upload away (it would expire anyway).
    await verzoek("DELETE", `${BASE}/${bijlageId}`, token).catch(() => {});
    throw error;
  }
  return bijlageId;
}
