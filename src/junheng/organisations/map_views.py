"""The map page: the schools and clusters the user sees, over Shanghai's districts (organisations.map)."""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views import View

from .map import map_data


class MapView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, "organisations/map.html", {"map": map_data(request.user)})
