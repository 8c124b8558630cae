"""The JSON API: one django-ninja instance, a router per app, served under /api/.

Session authentication with CSRF, as the site's own pages: a signed-in browser (or a client
holding the session and CSRF cookies) calls it; a write needs the X-CSRFToken header. Anonymous
callers get 401 with a JSON body. The OpenAPI schema is /api/openapi.json and the docs /api/docs
(Swagger UI from ninja's own static files, no CDN, no inline script: our CSP holds).
"""

from django.http.request import RawPostDataException
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError
from ninja.openapi.docs import Swagger
from ninja.security import SessionAuth

from accounts.api import router as accounts_router
from accounts.collection_api import router as collection_router
from alerts.api import router as alerts_router
from pricing.api import router as pricing_router
from recommendations.api import router as recommendations_router

api = NinjaAPI(
    title="Vinilogy API",
    version="1",
    description="Recommendations, the cheapest basket, buying filters, best prices and watches of the signed-in listener.",
    urls_namespace="api",
    auth=SessionAuth(csrf=True),
    # ninja's own templates and files (it is in INSTALLED_APPS): two scripts from our static
    # files and the settings as a JSON data block, so the strict CSP holds without a nonce.
    docs=Swagger(),
)


@api.exception_handler(AuthenticationError)
def authentication_required(request, exc):
    return api.create_response(request, {"error": _("authentication required")}, status=401)


@api.exception_handler(RawPostDataException)
def form_body_sent(request, exc):
    """A form-encoded (multipart) body sent to a JSON endpoint: the site's input guard has read it
    as form fields, so there is no raw JSON left to read. Say what the endpoint takes."""
    return api.create_response(request, {"error": _("send the body as JSON (Content-Type: application/json)")}, status=415)


api.add_router("/", recommendations_router)
api.add_router("/", accounts_router)
api.add_router("/", collection_router)
api.add_router("/", alerts_router)
api.add_router("/", pricing_router)
