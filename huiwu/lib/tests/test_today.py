"""lib/today.py's first_items: a list's first rows and its total, in one query."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from huiwu.directory.models import Organization
from huiwu.lib.today import MAX_ITEMS, first_items


def _first(count: int) -> tuple[list[str], int, int]:
    Organization.objects.bulk_create(Organization(name=f"委办局{number:02d}") for number in range(count))
    with CaptureQueriesContext(connection) as queries:
        shown, total = first_items(Organization.objects.order_by("name"))
    return [organization.name for organization in shown], total, len(queries)


def test_it_counts_every_row_beyond_those_it_shows_in_the_same_query(db):
    names, total, queries = _first(MAX_ITEMS + 5)
    assert (len(names), names[0], names[-1], total, queries) == (MAX_ITEMS, "委办局00", "委办局19", MAX_ITEMS + 5, 1)


def test_it_counts_a_short_list_and_an_empty_one(db):
    assert _first(0) == ([], 0, 1)
    assert _first(MAX_ITEMS)[1:] == (MAX_ITEMS, 1)
