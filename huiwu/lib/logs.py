import logging


class RequestLogMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)


class RequestContextFilter(logging.Filter):
    pass


class LineFormatter(logging.Formatter):
    def __init__(self, *args, as_json: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
