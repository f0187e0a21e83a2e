"""Response headers the platform adds to every answer."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import gettext as _


class PermissionsPolicyMiddleware:
    """Switches off the browser features the platform never uses (camera, microphone, location, payment, USB)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.JUNHENG_PERMISSIONS_POLICY)
        return response


class PrivateCacheMiddleware:
    """What a logged-in user sees — pages, exports, reports — and every API answer stays out of shared caches and
    off the disk of the browser: `Cache-Control: private, no-store`. Public pages, the login page and static
    files keep their own caching."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if request.path.startswith("/api/") or (user is not None and user.is_authenticated):
            patch_cache_control(response, private=True, no_store=True)
        return response


class NoNulParametersMiddleware:
    """A NUL character in a query parameter is never meant (and PostgreSQL refuses it in text): 400, saying why,
    before any view reads it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if any("\x00" in value for values in request.GET.lists() for value in [values[0], *values[1]]):
            raise BadRequest(_("A parameter of the address holds a NUL character."))
        return self.get_response(request)


class ChosenLanguageMiddleware:
    """Chinese, unless the user chose another language with the language switch (its cookie). The browser's
    Accept-Language is not read: a browser set to English is not a choice of the platform's language. This takes
    the place of Django's LocaleMiddleware, which would follow that header."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        patch_vary_headers(response, ["Cookie"])
        response.headers.setdefault("Content-Language", language)
        return response
