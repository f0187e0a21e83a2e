from datetime import date

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from junheng.policy.engine import compliance_run
from junheng.policy.models import PolicyEdition
from junheng.policy.reminders import reminders_for


class Command(BaseCommand):
    help = (
        "The daily digest: checks every edition in force on the day for the whole city (keeping the run the home "
        "pages read) and prints each user's due and overdue items."
    )

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--as-of", dest="as_of", type=date.fromisoformat, default=date.today())
        parser.add_argument("--user", help="print only this user's digest")

    def handle(self, *args, as_of, user, **options):  # type: ignore[no-untyped-def]
        editions = PolicyEdition.objects.filter(period_start__lte=as_of, period_end__gte=as_of)
        for edition in editions:
            compliance_run(actor=None, edition=edition, as_of=as_of)
        if not editions:
            self.stdout.write(f"{as_of} 没有生效的政策版本，沿用最近一次检查的结果。")
        users = get_user_model().objects.filter(is_active=True, memberships__isnull=False).distinct()
        if user:
            users = users.filter(username=user)
        for account in users.order_by("username"):
            items = reminders_for(account)
            if not items:
                continue
            self.stdout.write(f"== {account.username}：{len(items)} 项待办")
            for item in items:
                state = "已逾期" if item.overdue else "即将到期"
                self.stdout.write(
                    f"  [{state}] {item.task} · {item.finding.subject_name}（截至 {item.as_of}）"
                )
