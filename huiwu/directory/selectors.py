"""Reads of the directory that pages and the API share."""

from django.db.models import Q, QuerySet

from huiwu.directory.models import Person

# Longer than any name, title or organization; keeps a pasted essay out of the query.
SEARCH_MAX_LENGTH = 100


def people_search(queryset: QuerySet[Person], q: str) -> QuerySet[Person]:
    """Leaders and guests matching q by name, full pinyin, pinyin initials, title or organization.

    张建国 is found by "张", "zhang", "jianguo", "zhang jianguo" and "ZJG"; an empty q matches everybody.
    Most senior first, as they are served.
    """
    queryset = queryset.select_related("organization").order_by("precedence", "name_pinyin", "pk")
    q = q.strip()
    if not q:
        return queryset
    # Pinyin keys are stored lower-case without spaces; people type "Zhang Jianguo" as often as "zhangjianguo".
    compact = "".join(q.split()).lower()
    return queryset.filter(
        Q(name__icontains=q)
        | Q(name_pinyin__contains=compact)
        | Q(name_initials__startswith=compact)
        | Q(title__icontains=q)
        | Q(organization__name__icontains=q)
    )
