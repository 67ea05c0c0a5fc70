"""The service of meetings over JSON, one module per page of huiwu/service/views: a meeting's service record
(meeting), what is done for it (actions), the today board (board), an attendant's next actions (tasks) and the
standards (standards).

Views stay thin: parse, call the service (services.py) or the read (selectors.py), serialize. Every meeting
is fetched through access.py, so what a user may not see answers 404 like what does not exist.
"""

from ninja import Router

from huiwu.service.api import actions, board, meeting, standards, tasks

router = Router()
for module in (meeting, actions, board, tasks, standards):
    router.add_router("/", module.router)
