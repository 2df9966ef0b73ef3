"""Connection keys: the data centre is part of the key, and a key without one (every connection made before)
keeps its old string and RowKey, so stored rows, queued messages and sessions still name it."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from sync_core.store import keys
from sync_core.store.connections import ConnectionKey

ids = st.text(min_size=1, max_size=40)


@given(ids, ids, st.text(max_size=40))
def test_a_key_round_trips_through_its_string_and_its_row(org: str, user: str, data_centre: str) -> None:
    key = ConnectionKey(org_id=org, user_id=user, data_centre=data_centre)

    assert ConnectionKey.parse(str(key)) == key
    assert ConnectionKey.of_row(keys.escape(org), key.row_key, data_centre) == key


def test_the_same_ids_in_two_data_centres_are_two_keys_and_two_rows() -> None:
    eu = ConnectionKey(org_id="874920001", user_id="1001", data_centre="accounts.zoho.eu")
    ca = ConnectionKey(org_id="874920001", user_id="1001", data_centre="accounts.zohocloud.ca")

    assert str(eu) != str(ca)
    assert eu.row_key != ca.row_key


def test_a_key_without_a_data_centre_keeps_the_string_and_row_it_had_before() -> None:
    key = ConnectionKey(org_id="874920001", user_id="1001")

    assert str(key) == "874920001:1001"
    assert key.row_key == "1001"
    assert ConnectionKey.parse("874920001:1001") == key
