from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .choices import Action
from .scope import scope_for

# (title, url name, the entries of its menu) of the main navigation, in the order shown; an entry with a menu has
# no page of its own.
NAVIGATION = [
    (_("Districts"), "organisations:district_list", []),
    (_("Schools"), "organisations:school_list", []),
    (_("Institutions"), "organisations:institution_list", []),
    (_("Clusters"), "organisations:cluster_list", []),
    (_("Pairings"), "programmes:pairing_list", []),
    (_("Programme statistics"), "programmes:charts", []),
    (_("Compliance"), "policy:run_list", []),
    (_("Policy editions"), "policy:policyedition_list", []),
    (
        _("Evaluation and monitoring"),
        "",
        [
            (_("Cluster evaluation"), "evaluation:clusters"),
            (_("Monitoring results"), "evaluation:scoreupload_list"),
            (_("Resource balance"), "evaluation:resources"),
            (_("Green indicators"), "evaluation:greenindicatorrecord_list"),
            (_("Principal appraisal"), "evaluation:appraisalform_list"),
            (_("Satisfaction surveys"), "evaluation:survey_list"),
        ],
    ),
    (_("Roles"), "accounts:role_list", []),
]


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    is_administrator = bool(user and user.is_authenticated and scope_for(user, Action.CHANGE).everything)
    return {"navigation": NAVIGATION, "is_administrator": is_administrator}
