"""Request-wide guards that every view, form and fragment gets without opting in."""
from django.shortcuts import render

from catalog.text import control_problem


def _fields(request):
    """(name, value) of every text input of the request: path, query string and form fields."""
    yield "address", request.path
    for data in (request.GET, request.POST):
        for key, values in data.lists():
            yield key, key
            for value in values:
                yield key, value


def _refused_input(request):
    """The first text input with a NUL or control character, as (field name, why), or None."""
    for name, value in _fields(request):
        problem = control_problem(value)
        if problem:
            return name[:40], problem
    return None


class TextInputGuardMiddleware:
    """Refuse, with a 400 saying which field and why, any request whose text holds NUL bytes or
    control characters.

    One place for every text input: the forms, the views that read a search box directly, the
    admin and allauth's pages all sit behind it, so none of them can hand such text to the
    database (PostgreSQL raises DataError on NUL) or to a provider's API.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        refused = _refused_input(request)
        if refused is None:
            return self.get_response(request)
        field, problem = refused
        message = f"The field “{field}” {problem}, which we do not accept. Remove it and try again."
        template = "input_refused_fragment.html" if request.headers.get("HX-Request") else "input_refused.html"
        return render(request, template, {"message": message, "title": "Input refused"}, status=400)

