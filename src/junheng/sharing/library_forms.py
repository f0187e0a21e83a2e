"""The forms of the resource library and of the cluster's culture and activities. Uploads are checked as every
upload of the platform is (type, size, content against the extension)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import FileExtensionValidator
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from junheng.core.choices import Action
from junheng.core.forms import CheckboxList, ScopedModelForm, style_fields
from junheng.core.imports import file_size_within_limit
from junheng.core.scope import scope_for
from junheng.organisations.models import School

from .library_choices import RESOURCE_SUFFIXES, STARS
from .models import (
    ClusterCulture,
    ClusterEvent,
    EventParticipant,
    EventPhoto,
    LibraryResource,
    ResourceRating,
)
from .models.facilities import cluster_mates


def resource_file_field() -> forms.FileField:
    return forms.FileField(
        label=_("file"),
        required=False,
        validators=[FileExtensionValidator(RESOURCE_SUFFIXES), file_size_within_limit],
        help_text=_("PDF, Word, Excel, PowerPoint or an image, within the upload limit"),
    )


def link_field() -> forms.URLField:
    return forms.URLField(
        label=_("link"),
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text=_("Or a link, e.g. to a micro-lesson video"),
    )


def file_or_link(form: forms.BaseForm, cleaned: dict[str, Any]) -> None:
    if bool(cleaned.get("file")) == bool(cleaned.get("link")):
        form.add_error(None, _("Give either a file or a link."))


class LibraryResourceForm(ScopedModelForm):
    """A new resource comes with its first version: a file or a link. Later versions are added on its page."""

    class Meta:
        model = LibraryResource
        fields = ["title", "kind", "subject", "stage", "school", "author", "cluster", "description"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = School.objects.restrict(self.user, Action.CHANGE)  # type: ignore[attr-defined]  # a ModelChoiceField
        if self.instance.pk is None:
            self.fields["file"] = resource_file_field()
            self.fields["link"] = link_field()
            style_fields(self)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if self.instance.pk is None:
            file_or_link(self, cleaned)
        return cleaned

    def save(self, commit: bool = True) -> Any:
        instance = super().save(commit=False)
        if self.instance.pk is None:  # read by library_resource_save
            instance.first_version = {
                "file": self.cleaned_data.get("file"),
                "link": self.cleaned_data.get("link") or "",
                "note": "",
            }
        if commit:
            instance.save()
        return instance


class VersionForm(forms.Form):
    """An improvement: the new file or link, what changed, and the open feedback it answers."""

    file = resource_file_field()
    link = link_field()
    note = forms.CharField(label=_("what changed"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
    answers = forms.ModelMultipleChoiceField(
        label=_("feedback answered"),
        queryset=ResourceRating.objects.none(),
        required=False,
        widget=CheckboxList,
    )

    def __init__(self, *args: Any, resource: LibraryResource, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        answers: Any = self.fields["answers"]
        answers.queryset = resource.ratings.filter(answered_in=None).order_by("-rated_at")
        answers.label_from_instance = lambda r: f"{r.stars}★ {r.comment or '—'}"
        style_fields(self)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        file_or_link(self, cleaned)
        return cleaned


class RatingForm(forms.Form):
    stars = forms.TypedChoiceField(
        label=_("score (1–5)"), choices=STARS, coerce=int, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=_("comment"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_fields(self)


class ClusterCultureForm(ScopedModelForm):
    class Meta:
        model = ClusterCulture
        fields = ["cluster", "motto", "logo", "description"]


class ClusterEventForm(ScopedModelForm):
    class Meta:
        model = ClusterEvent
        fields = ["cluster", "school", "kind", "title", "date", "description"]


class EventParticipantForm(ScopedModelForm):
    class Meta:
        model = EventParticipant
        fields = ["event", "school", "students"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["event"].queryset = ClusterEvent.objects.restrict(self.user, Action.CHANGE)  # type: ignore[attr-defined]  # a ModelChoiceField
        # The organiser invites its cluster mates, whose records it does not otherwise see.
        seen = Q(pk__in=School.objects.restrict(self.user).values("pk"))
        mates = cluster_mates(scope_for(self.user).schools)
        self.fields["school"].queryset = School.objects.filter(seen | mates)  # type: ignore[attr-defined]  # a ModelChoiceField


class EventPhotoForm(ScopedModelForm):
    class Meta:
        model = EventPhoto
        fields = ["event", "image", "caption"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["event"].queryset = ClusterEvent.objects.restrict(self.user, Action.CHANGE)  # type: ignore[attr-defined]  # a ModelChoiceField
