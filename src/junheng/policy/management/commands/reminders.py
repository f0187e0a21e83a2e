from datetime import date
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.core.management.base import BaseCommand
from django.utils import translation
from django.utils.translation import gettext as _

from junheng.policy.reminders import digest_lines, reminders_for, rotations_ending
from junheng.policy.schedule import daily_runs, editions_to_check
from junheng.sharing.approvals import waiting_for_approval, waiting_lines
from junheng.sharing.course_reminders import closing_lines, rounds_closing


class Command(BaseCommand):
    help = (
        "The daily digest: checks every edition begun by the day for the whole city, unless that ran already "
        "(keeping the run the home pages read), and prints each user's due and overdue items and the rotations ending "
        "soon and the course applications closing soon, or mails them with --mail."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--as-of", dest="as_of", type=date.fromisoformat, default=date.today())
        parser.add_argument("--user", help="only this user's digest")
        parser.add_argument(
            "--mail", action="store_true", help="mail each user with an e-mail address their digest"
        )

    def handle(self, *args: Any, as_of: Any, user: Any, mail: Any, **options: Any) -> None:
        translation.activate(settings.LANGUAGE_CODE)
        daily_runs(as_of)  # the day's city-wide check, unless `compliance_schedule` made it already
        if not editions_to_check(as_of):
            self.stdout.write(
                _("No policy edition is in force on %(date)s; the latest run stands.") % {"date": as_of}
            )
        users = get_user_model().objects.filter(is_active=True, memberships__isnull=False).distinct()
        if user:
            users = users.filter(username=user)
        mailed = 0
        for account in users.order_by("username"):
            items = reminders_for(account)
            ending = rotations_ending(account, as_of)
            waiting = waiting_lines(waiting_for_approval(account)[:50])
            closing = rounds_closing(account, as_of)
            if not items and not ending and not waiting and not closing:
                continue
            count = len(items) + len(ending) + len(waiting) + len(closing)
            heading = _("%(user)s: %(n)s items due") % {"user": account.username, "n": count}
            lines = digest_lines(items, ending) + waiting + closing_lines(closing)
            if mail and account.email:
                send_mail(heading, "\n".join(lines), None, [account.email])
                mailed += 1
            elif not mail:
                self.stdout.write("\n".join([f"== {heading}", *(f"  {line}" for line in lines)]))
        if mail:
            self.stdout.write(_("Digests mailed: %(n)s.") % {"n": mailed})
