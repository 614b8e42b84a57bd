"""ristretto255 (RFC 9496) and OPRF(ristretto255, SHA-512) (RFC 9497) against the RFC
test vectors, and against @noble/curves (the browser's library) run by node."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from envelope import oprf
from envelope import ristretto255 as group

WEB = Path(__file__).resolve().parents[2] / "web"

# RFC 9496 A.1: encodings of 0·B .. 5·B.
MULTIPLES = [
    "0000000000000000000000000000000000000000000000000000000000000000",
    "e2f2ae0a6abc4e71a884a961c500515f58e30b6aa582dd8db6a65945e08d2d76",
    "6a493210f7499cd17fecb510ae0cea23a110e8d5b901f8acadd3095c73a3b919",
    "94741f5d5d52755ece4f23f044ee27d5d1ea1e2bd196b462166b16152a9d0259",
    "da80862773358b466ffadfe0b3293ab3d9fd53c5ea6c955358f568322daf6a57",
    "e882b131016b52c1d3337080187cf768423efccbb517bb495ab812c4160ff44e",
]
# RFC 9496 A.2: encodings that must be refused (non-canonical, negative, not square, y = 0).
BAD = [
    "00ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
    "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
    "0100000000000000000000000000000000000000000000000000000000000000",
    "26948d35ca62e643e26a83177332e6b6afeb9d08e4268b650f1f5bbd8d81d371",
    "3eb858e78f5a7254d8c9731174a94f76755fd3941c0ac93735c07ba14579630e",
    "445425117cb8c90edcbc7c1cc0e74f747f2c1efa5630a967c64f287792a48a4b",
]
# RFC 9496 A.3: from_uniform_bytes(SHA-512(label)).
HASHED = {
    "Ristretto is traditionally a short shot of espresso coffee": (
        "3066f82a1a747d45120d1740f14358531a8f04bbffe6a819f86dfe50f44a0a46"
    ),
    "made with the normal amount of ground coffee but extracted with": (
        "f26e5b6f7d362d2d2a94c5d0e7602cb4773c95a2e5c31a64f133189fa76ed61b"
    ),
    "about half the amount of water in the same amount of time": (
        "006ccd2a9e6867e6a2c5cea83d3302cc9de128dd2a9a57dd8ee7b9d7ffe02826"
    ),
    "by using a finer grind.": "f8f0c87cf237953c5890aec3998169005dae3eca1fbb04548c635953c817f92a",
    "This produces a concentrated shot of coffee per volume.": (
        "ae81e7dedf20a497e10c304a765c1767a42d6e06029758d2d7e8ef7cc4c41179"
    ),
    "Just pulling a normal shot short will produce a weaker shot": (
        "e2705652ff9f5e44d3e841bf1c251cf7dddb77d140870d1ab2ed64f1a9ce8628"
    ),
    "and is not a Ristretto as some believe.": (
        "80bd07262511cdde4863f8a7434cef696750681cb9510eea557088f76d9e5065"
    ),
}

# RFC 9497 A.1.1, OPRF(ristretto255, SHA-512), mode OPRF.
SEED = bytes([0xA3] * 32)
KEY_INFO = bytes.fromhex("74657374206b6579")
SK_SM = "5ebcea5ee37023ccb9fc2d2019f9d7737be85591ae8652ffa9ef0f4d37063b0e"
BLIND = "64d37aed22a27f5191de1c1d69fadb899d8862b58eb4220029e036ec4c1f6706"
OPRF_VECTORS = [
    (
        "00",
        "609a0ae68c15a3cf6903766461307e5c8bb2f95e7e6550e1ffa2dc99e412803c",
        "7ec6578ae5120958eb2db1745758ff379e77cb64fe77b0b2d8cc917ea0869c7e",
        "527759c3d9366f277d8c6020418d96bb393ba2afb20ff90df23fb7708264e2f3"
        "ab9135e3bd69955851de4b1f9fe8a0973396719b7912ba9ee8aa7d0b5e24bcf6",
    ),
    (
        "5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a",
        "da27ef466870f5f15296299850aa088629945a17d1f5b7f5ff043f76b3c06418",
        "b4cbf5a4f1eeda5a63ce7b77c7d23f461db3fcab0dd28e4e17cecb5c90d02c25",
        "f4a74c9c592497375e796aa837e907b1a045d34306a749db9f34221f7e750cb4"
        "f2a6413a6bf6fa5e19ba6348eb673934a722a7ede2e7621306d18951e7cf2c73",
    ),
]


def test_multiples_of_the_generator_encode_and_decode_as_in_rfc_9496() -> None:
    for k, expected in enumerate(MULTIPLES):
        point = group.BASE * k
        assert point.encode().hex() == expected
        assert group.decode(bytes.fromhex(expected)) == point


def test_bad_encodings_are_refused() -> None:
    for bad in BAD:
        with pytest.raises(group.DecodeError):
            group.decode(bytes.fromhex(bad))


def test_one_way_map_matches_rfc_9496() -> None:
    for label, expected in HASHED.items():
        digest = hashlib.sha512(label.encode()).digest()
        assert group.from_uniform_bytes(digest).encode().hex() == expected


def test_expand_message_xmd_matches_rfc_9380() -> None:
    dst = b"QUUX-V01-CS02-with-expander-SHA512-256"
    assert oprf.expand_message_xmd(b"", dst, 32).hex() == (
        "6b9a7312411d92f921c6f68ca0b6380730a1a4d982c507211a90964c394179ba"
    )
    assert oprf.expand_message_xmd(b"abc", dst, 32).hex() == (
        "0da749f12fbe5483eb066a5f595055679b976e93abe9be6f0f6318bce7aca8dc"
    )


def test_oprf_matches_rfc_9497_vectors() -> None:
    sk, _ = oprf.derive_key_pair(SEED, KEY_INFO)
    assert oprf.serialize_scalar(sk).hex() == SK_SM
    r = oprf.deserialize_scalar(bytes.fromhex(BLIND))
    for data_hex, blinded_hex, evaluated_hex, output_hex in OPRF_VECTORS:
        data = bytes.fromhex(data_hex)
        _, blinded = oprf.blind(data, r)
        assert blinded.hex() == blinded_hex
        evaluated = oprf.blind_evaluate(sk, blinded)
        assert evaluated.hex() == evaluated_hex
        assert oprf.finalize(data, r, evaluated).hex() == output_hex
        assert oprf.evaluate(sk, data).hex() == output_hex


def test_random_blinds_give_the_same_output_and_the_identity_is_refused() -> None:
    sk = oprf.random_scalar()
    data = b"meldwijzer"
    outputs = set()
    for _ in range(3):
        r, blinded = oprf.blind(data)
        outputs.add(oprf.finalize(data, r, oprf.blind_evaluate(sk, blinded)))
    assert outputs == {oprf.evaluate(sk, data)}
    with pytest.raises(oprf.OprfError):
        oprf.blind_evaluate(sk, bytes(32))


JS = """
import { ristretto255_oprf, ristretto255_hasher } from "@noble/curves/ed25519.js";
const o = ristretto255_oprf.oprf;
const h = (s) => Uint8Array.from(Buffer.from(s, "hex"));
const x = (b) => Buffer.from(b).toString("hex");
const job = JSON.parse(process.argv[1]);
const keys = o.deriveKeyPair(h(job.seed), h(job.info));
const out = { sk: x(keys.secretKey), vectors: [], random: [] };
for (const v of job.vectors) {
  const evaluated = o.blindEvaluate(keys.secretKey, h(v.blinded));
  const output = o.finalize(h(v.input), h(job.blind), evaluated);
  out.vectors.push({ evaluated: x(evaluated), output: x(output) });
}
for (const input of job.random) {
  const b = o.blind(h(input));
  const evaluated = o.blindEvaluate(h(job.sk2), b.blinded);
  out.random.push(x(o.finalize(h(input), b.blind, evaluated)));
}
console.log(JSON.stringify(out));
"""


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_python_and_noble_curves_agree() -> None:
    sk2 = oprf.random_scalar()
    inputs = [b"meldwijzer/niet-alleen/v1\x00naam\x00jan\x00jansen\x00rotterdam", b"x" * 300]
    job = {
        "seed": SEED.hex(),
        "info": KEY_INFO.hex(),
        "blind": BLIND,
        "sk2": oprf.serialize_scalar(sk2).hex(),
        "vectors": [{"input": v[0], "blinded": v[1]} for v in OPRF_VECTORS],
        "random": [i.hex() for i in inputs],
    }
    done = subprocess.run(  # noqa: S603 - fixed program and script
        ["node", "--input-type=module", "-e", JS, json.dumps(job)],  # noqa: S607
        cwd=WEB,
        capture_output=True,
        text=True,
        check=True,
    )
    got = json.loads(done.stdout)
    assert got["sk"] == SK_SM
    assert [v["evaluated"] for v in got["vectors"]] == [v[2] for v in OPRF_VECTORS]
    assert [v["output"] for v in got["vectors"]] == [v[3] for v in OPRF_VECTORS]
    assert got["random"] == [oprf.evaluate(sk2, i).hex() for i in inputs]
