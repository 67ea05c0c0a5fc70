from django.urls import path

from huiwu.service.views import board, meeting, standards, tasks, workload

app_name = "service"

urlpatterns = [
    path("board/", board.board, name="board"),
    path("board/rows/", board.board_rows_fragment, name="board_rows"),
    path("board/day-sheet.pdf", board.day_sheet, name="day_sheet_pdf"),
    path("mine/", tasks.my_tasks, name="my_tasks"),
    path("mine/<int:meeting_id>/do/", tasks.task_do, name="task_do"),
    path("workload/", workload.workload_page, name="workload"),
    path("standards/", standards.standards_page, name="standards"),
    path("standards/<int:standard_id>/", standards.standard_detail, name="standard_detail"),
    path("meetings/<int:meeting_id>/", meeting.meeting_service, name="meeting"),
    path("meetings/<int:meeting_id>/service-sheet.pdf", meeting.service_sheet, name="service_sheet_pdf"),
    path("meetings/<int:meeting_id>/sign-in-sheet.pdf", meeting.sign_in_sheet, name="sign_in_sheet_pdf"),
    path("meetings/<int:meeting_id>/checks/<int:level>/", meeting.check_confirm_view, name="check_confirm"),
    path("meetings/<int:meeting_id>/assignments/", meeting.assignment_add_view, name="assignment_add"),
    path(
        "meetings/<int:meeting_id>/assignments/<int:assignment_id>/remove/",
        meeting.assignment_remove_view,
        name="assignment_remove",
    ),
    path("meetings/<int:meeting_id>/act/", meeting.meeting_act, name="act"),
]
