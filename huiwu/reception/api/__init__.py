"""The reception team's day over JSON, one module per page of huiwu/reception/views: the day's timeline and
its items, the calendar and the routine standard (day), the leaders' offices, presence and cleaning
(offices), reviewed documents (documents), newspapers (newspapers), the leaders' lunch (lunch), the journal
and the end-of-day review (journal), the team's grooming and whereabouts (team), and the ad-hoc matters (matters).

Views stay thin: parse, call the service or the read, serialize. Every object is fetched through access.py,
so what a user may not see answers 404 like what does not exist.
"""

from ninja import Router

from huiwu.reception.api import day, documents, journal, lunch, matters, newspapers, offices, team

router = Router()
for module in (day, offices, documents, newspapers, lunch, journal, team, matters):
    router.add_router("/", module.router)
