"""factory-boy factories for the API call log."""

import factory

from .models import ApiCall


class ApiCallFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ApiCall

    provider = "discogs"
    endpoint = "https://api.discogs.com/releases/1"
    status_code = 200
    duration_ms = 120
