"""The listener's data: the "Your data" page, one download of everything, and account
deletion confirmed by password (or, for an account with no password, a signed link by email)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.mail import send_mail
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from catalog.seo import absolute_url

from . import personal_data


@login_required
@require_GET
def your_data(request):
    return render(
        request, "vinilogy/your_data.html", {"title": _("Your data"), "has_password": request.user.has_usable_password()}
    )


@login_required
@require_GET
def export(request):
    response = HttpResponse(personal_data.export_zip(request.user), content_type="application/zip")
    response["Content-Disposition"] = 'attachment; filename="vinilogy-your-data.zip"'
    return response


def _delete_and_sign_out(request):
    user = request.user
    logout(request)
    personal_data.delete_user(user, by="the listener")
    messages.success(request, _("Your account and everything we held about you are deleted."))
    return redirect("home")


@login_required
@require_POST
def delete_account(request):
    if not request.user.has_usable_password() or not request.user.check_password(request.POST.get("password", "")):
        messages.error(request, _("That password is not right: nothing was deleted."))
        return redirect("your_data")
    return _delete_and_sign_out(request)


@login_required
@require_POST
def send_delete_link(request):
    """For accounts that sign in only through Spotify or Discogs: a confirmation link by email."""
    user = request.user
    if not user.email:
        messages.error(request, _("Your account has no email address to send a confirmation link to."))
        return redirect("your_data")
    link = absolute_url(reverse("delete_account_confirm", args=[personal_data.delete_link_token(user)]))
    send_mail(
        "Vinilogy: confirm deleting your account",
        f"To delete your Vinilogy account and all its data, open:\n{link}\n\nIt works for two days. If you did not ask, ignore this mail.",
        settings.DEFAULT_FROM_EMAIL,
        [user.email],
    )
    messages.success(request, _("We sent a confirmation link to %(email)s.") % {"email": user.email})
    return redirect("your_data")


@login_required
@require_http_methods(["GET", "POST"])
def delete_account_confirm(request, token):
    """The emailed link: only for the signed-in owner it was made for (anyone else: 404)."""
    if personal_data.delete_link_user_id(token) != request.user.pk:
        raise Http404("No such confirmation link")
    if request.method == "POST":
        return _delete_and_sign_out(request)
    return render(request, "vinilogy/delete_confirm.html", {"token": token, "title": _("Delete your account")})
