"""``matcher`` (prepared once per find) means exactly what ``matches`` means."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from store.base import matcher, matches

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-2, 2), st.sampled_from(["a", "b", "", "1", "True"])
)
values = st.one_of(
    scalars,
    st.lists(scalars, max_size=3),
    st.dictionaries(st.sampled_from(["a", "x"]), scalars, max_size=1),
)
wanted = st.one_of(
    scalars,
    st.lists(scalars, max_size=4),
    st.tuples(scalars, scalars),
    st.dictionaries(st.sampled_from(["a", "x"]), scalars, max_size=1),
)
docs = st.dictionaries(st.sampled_from(["f", "user", "tags"]), values, max_size=3)
wheres = st.dictionaries(st.sampled_from(["f", "user", "tags"]), wanted, max_size=2)


@settings(max_examples=500, derandomize=True)
@given(st.lists(docs, min_size=1, max_size=5), wheres)
def test_matcher_agrees_with_matches(found: list[dict[str, Any]], where: dict[str, Any]) -> None:
    test = matcher(where)
    assert [test(d) for d in found] == [matches(d, where) for d in found]
