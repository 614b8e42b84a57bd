"""Shamir sharing (threshold 2), the fixed form's normalisation and the entry record."""

from __future__ import annotations

import secrets

import pytest

from envelope import shamir
from envelope.meldcode import new_meldcode
from envelope.melder_key import keys_from_seed
from envelope.niet_alleen import (
    FormError,
    RecordError,
    build_entry,
    line_of,
    matching_input,
    melder_x,
    open_inner,
    open_record,
)
from envelope.sealing import Recipient, generate_keypair, key_id


def test_two_points_give_a0_back_and_one_point_does_not() -> None:
    a0, a1 = secrets.randbelow(shamir.Q), secrets.randbelow(shamir.Q)
    x1, x2 = 12345, 67890
    p1, p2 = (x1, shamir.share(a0, a1, x1)), (x2, shamir.share(a0, a1, x2))
    assert shamir.recover(p1, p2) == a0
    # Every a0 is consistent with one point: for any guess there is a slope through it.
    guess = secrets.randbelow(shamir.Q)
    slope = (p1[1] - guess) * pow(x1, -1, shamir.Q) % shamir.Q
    assert shamir.share(guess, slope, x1) == p1[1]
    with pytest.raises(shamir.ShareError):
        shamir.recover(p1, (x1, p1[1]))


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (
            {"voornaam": "Jan", "achternaam": "de Vries", "eenheid": "rotterdam"},
            {"voornaam": " JAN ", "achternaam": "Vries, de", "eenheid": "Rotterdam"},
        ),
        (
            {"voornaam": "Zoë", "achternaam": "van den Berg", "eenheid": "amsterdam"},
            {"voornaam": "zoe", "achternaam": "Berg", "eenheid": "amsterdam"},
        ),
        (
            {"voornaam": "Jan-Willem", "achternaam": "Öztürk", "eenheid": "pdc"},
            {"voornaam": "jan willem", "achternaam": "ozturk", "eenheid": "pdc"},
        ),
        ({"personeelsnummer": "00123456"}, {"personeelsnummer": "123 456"}),
    ],
)
def test_two_melders_typing_the_same_person_give_the_same_input(
    a: dict[str, str], b: dict[str, str]
) -> None:
    assert matching_input(a) == matching_input(b)


def test_different_people_or_eenheden_give_different_inputs() -> None:
    jan = {"voornaam": "Jan", "achternaam": "de Vries", "eenheid": "rotterdam"}
    assert matching_input(jan) != matching_input({**jan, "eenheid": "amsterdam"})
    assert matching_input(jan) != matching_input({**jan, "voornaam": "Jaap"})
    for bad in ({"voornaam": "Jan"}, {"personeelsnummer": "12"}, {"personeelsnummer": "abc"}):
        with pytest.raises(FormError):
            matching_input(bad)


def _keys():  # type: ignore[no-untyped-def]
    return keys_from_seed(secrets.token_bytes(32))


def test_the_melders_x_is_stable_per_melder_and_differs_between_melders() -> None:
    a, b = _keys(), _keys()
    assert melder_x(a) == melder_x(a)
    assert melder_x(a) != melder_x(b)
    assert new_meldcode()  # the keys come from a meldcode in production (melder_key)


def test_the_record_opens_only_with_a0_and_the_inner_part_only_with_the_vp_key() -> None:
    private, public = generate_keypair()
    vp = Recipient(kid=key_id(public), public_key=public)
    form = {"voornaam": "Jan", "achternaam": "de Vries", "eenheid": "rotterdam"}
    out_a, out_b = secrets.token_bytes(64), secrets.token_bytes(64)
    a, b = _keys(), _keys()
    common = {"melding_id": "m-1", "eenheid": "rotterdam", "form": form, "vertrouwenspersoon": vp}
    e1 = build_entry(oprf_out=out_a, keys=a, vermelding_id="v-1", **common)
    e2 = build_entry(oprf_out=out_a, keys=b, vermelding_id="v-2", **common)
    e3 = build_entry(oprf_out=out_b, keys=b, vermelding_id="v-3", **common)
    assert e1.index == e2.index != e3.index
    assert "Vries" not in str(e1.body())

    a0 = shamir.recover((e1.x, e1.y), (e2.x, e2.y))
    assert a0 == line_of(out_a)[0]
    record = open_record(a0, e1.index, "v-1", e1.record)
    assert record["melding_id"] == "m-1"
    assert open_inner(record["inner"], "v-1", "rotterdam", private) == form
    # Another person's share does not lie on the line: nothing opens.
    wrong = shamir.recover((e1.x, e1.y), (e3.x, e3.y))
    with pytest.raises(RecordError):
        open_record(wrong, e1.index, "v-1", e1.record)
    other_private, _ = generate_keypair()
    with pytest.raises(ValueError):
        open_inner(record["inner"], "v-1", "rotterdam", other_private)
