"""The fast JSON encoder of history values and import reports writes what the standard one does."""

import json
from collections import namedtuple

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from renaksi.json_encoding import FastJSONEncoder

Placement = namedtuple("Placement", "line column text field")


class Label(str):
    pass


scalars = (
    st.none()
    | st.booleans()
    | st.integers()  # beyond 64 bits too
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text()  # lone surrogates too
    | st.text().map(Label)
)
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.lists(inner, max_size=4).map(tuple)
        | st.tuples(st.integers(), st.integers(), st.text(), inner).map(lambda t: Placement(*t))
        | st.dictionaries(st.text() | st.integers() | st.text().map(Label), inner, max_size=4)
    ),
    max_leaves=12,
)


def _written(value, cls):
    try:
        return ("json", json.loads(json.dumps(value, cls=cls)))
    except (TypeError, ValueError) as error:
        return ("refused", type(error))


@settings(max_examples=500)
@given(values)
def test_the_fast_encoder_writes_every_value_to_the_json_the_standard_encoder_writes(value):
    fast, standard = _written(value, FastJSONEncoder), _written(value, None)
    assert fast == standard


def test_the_fast_encoder_writes_an_import_reports_placements_as_arrays_and_text_as_utf8():
    text = json.dumps(
        {"placements": [Placement(3, 2, "Rapat koordinasi é", "line.name")]}, cls=FastJSONEncoder
    )
    assert text == '{"placements":[[3,2,"Rapat koordinasi é","line.name"]]}'


@pytest.mark.parametrize("value", [object(), {"when": __import__("datetime").date(2023, 1, 5)}, {1, 2}])
def test_the_fast_encoder_refuses_what_the_standard_encoder_refuses(value):
    with pytest.raises(TypeError):
        json.dumps(value, cls=FastJSONEncoder)


def test_the_fast_encoder_keeps_the_standard_encoders_settings_when_asked_for_them():
    assert json.dumps({"b": 1, "a": [1]}, cls=FastJSONEncoder, sort_keys=True, indent=1) == json.dumps(
        {"b": 1, "a": [1]}, sort_keys=True, indent=1
    )
