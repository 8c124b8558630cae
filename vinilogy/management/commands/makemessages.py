"""Django's makemessages with the folders that hold no text a person reads left out, so
`manage.py makemessages -l es` from the project root and the catalogue's drift test
(vinilogy/tests/test_translations.py) extract the same messages. Locations name the file only:
a line moved elsewhere does not rewrite the catalogue. Messages gone from the code are dropped
(no obsolete entries): msgmerge's fuzzy guesses drawn from them were wrong more often than not."""

from django.core.management.commands import makemessages

# Tests, fixtures and benchmarks hold no interface text; the others are build outputs or data.
NOT_OURS = [
    "node_modules",
    "artifacts",
    "benchmarks",
    "docs",
    "media",
    "staticfiles",
    "var",
    "tests",
    "conftest.py",
    "*/testing.py",
    "*/factories.py",
]


class Command(makemessages.Command):
    def handle(self, *args, **options):
        options["ignore_patterns"] = [*options.get("ignore_patterns", []), *NOT_OURS]
        if options.get("add_location") is None and not options.get("no_location"):
            options["add_location"] = "file"
        options["no_obsolete"] = True
        return super().handle(*args, **options)
